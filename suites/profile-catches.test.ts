import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { repoRoot } from "../harness/env/stack-paths.js";

/**
 * The pattern's profile catches what a strategy's own cases miss. Each fixture in suites/fixtures/outbox/ is a
 * relay with one flaw, claiming at-least-once, whose own cases (copied from the reference) do not reach the flaw;
 * `dgh conformance` over the outbox profile must fail it, on the profile case made for that flaw.
 */
const run = promisify(execFile);
async function conformance(impl: string, only: string) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-profile-"));
  const args = ["--import", "tsx", "harness/cli/main.ts", "conformance", "--pattern", "outbox"];
  const r = await run("node", [...args, "--impl", impl, "--case", only, "--out", out], { cwd: repoRoot }).then(
    () => ({ code: 0 }),
    (e: { code: number }) => ({ code: e.code }),
  );
  return { code: r.code, summary: fs.readFileSync(path.join(out, "summary.md"), "utf8"), out };
}

describe("the outbox profile fails a strategy its own cases pass", () => {
  it("a relay that loses messages only when traffic is quiet, with no fault", async () => {
    const r = await conformance("suites/fixtures/outbox/drops-after-quiet.ts", "quiet");
    expect(r.code, r.summary).toBe(1);
    expect(r.summary).toMatch(/profile: quiet.*NOT as expected.*lost ×\d+/);
    fs.rmSync(r.out, { recursive: true });
  }, 300_000);
  it("a relay that abandons messages after a 5 s outage", async () => {
    const r = await conformance("suites/fixtures/outbox/gives-up-after-5s.ts", "Kafka unreachable for 15 s");
    expect(r.code, r.summary).toBe(1);
    expect(r.summary).toMatch(/Kafka unreachable for 15 s.*NOT as expected.*lost ×\d+/);
    fs.rmSync(r.out, { recursive: true });
  }, 300_000);
});
