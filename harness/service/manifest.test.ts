import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { InputError } from "../util/errors.js";
import { loadManifest, splitCommand } from "./manifest.js";
import { loadStrategy } from "../run/catalog.js";

/** Manifests are checked whole before anything starts: every mistake names its field (exit 2). */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-manifest-"));
fs.writeFileSync(path.join(dir, "relay"), "#!/bin/sh\n", { mode: 0o755 });
const good = {
  pattern: "outbox",
  name: "my-relay",
  claims: { delivery: "at-least-once" },
  workers: { relay: { command: "./relay --batch 10", failpoints: ["after-publish"] } },
};
function write(m: unknown, name = "dgh-service.yaml"): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, JSON.stringify(m));
  return f;
}
const refused = (m: unknown, field: RegExp, cmd?: string) => {
  expect(() => loadManifest(write(m), cmd)).toThrow(InputError);
  expect(() => loadManifest(write(m), cmd)).toThrow(field);
};

describe("service manifest", () => {
  it("reads a good one: the program resolved from the manifest's folder, cases from --fault syntax", () => {
    const m = loadManifest(
      write({ ...good, conformance: [{ name: "crash", faults: ["crash-at:relay:after-publish@2+3"] }] }),
    );
    expect(m.workers.relay).toEqual({
      argv: [path.join(dir, "relay"), "--batch", "10"],
      failpoints: ["after-publish"],
      instances: 1,
    });
    expect(m.conformance[0]!.faults[0]!.fault).toMatchObject({ kind: "crash-at", failpoint: "after-publish" });
  });
  it("refuses each mistake, naming the field", () => {
    refused({ ...good, claims: { delivery: "twice" } }, /claims\.delivery must be one of/);
    refused({ ...good, claims: { speed: "fast" } }, /claims\.speed is not a claim/);
    refused({ ...good, workers: {} }, /workers must name at least one worker/);
    refused({ ...good, workers: { relay: { command: "./missing" } } }, /not an executable file.*build it first/);
    refused({ ...good, workers: { relay: { command: "no-such-program-dgh" } } }, /not an executable file on PATH/);
    refused({ ...good, workers: { relay: { command: "./relay", instances: 0 } } }, /instances must be/);
    refused({ ...good, workers: { relay: { command: "./relay", failpoints: ["After Publish"] } } }, /failpoints/);
    refused({ ...good, retries: 3 }, /retries is not a manifest field/);
    refused({ ...good, name: "My Relay" }, /name must match/);
    refused({ ...good, conformance: [{ name: "x", faults: ["crash-at:relay@2+3"] }] }, /needs a failpoint/);
    refused({ ...good, control: ["double-charge"] }, /control must list anomalies from/);
    refused(
      { ...good, workers: { relay: { command: "./relay" }, sink: { command: "./relay" } } },
      /--impl-cmd can replace the command of a manifest with one/,
      "./relay",
    );
  });
  it("--impl-cmd replaces the command", () => {
    expect(loadManifest(write(good), "./relay -mark-first").workers.relay!.argv).toEqual([
      path.join(dir, "relay"),
      "-mark-first",
    ]);
  });
  it("checks the manifest against the pattern it is run as", async () => {
    await expect(loadStrategy("idempotency", "", write(good))).rejects.toThrow(/implements pattern outbox/);
    const noRelay = write({ ...good, workers: { publisher: { command: "./relay" } } });
    await expect(loadStrategy("outbox", "", noRelay)).rejects.toThrow(/workers must include "relay"/);
    await expect(loadStrategy("outbox", "", write(good))).resolves.toMatchObject({ name: "my-relay" });
  });
  it("splits a command line like a shell would, without one", () => {
    expect(splitCommand(`java -jar "my relay.jar" --name 'a b'`)).toEqual([
      "java",
      "-jar",
      "my relay.jar",
      "--name",
      "a b",
    ]);
  });
});
