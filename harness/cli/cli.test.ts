import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { repoRoot } from "../env/stack-paths.js";

const run = promisify(execFile);
const dgh = (args: string[]) =>
  run("node", ["--import", "tsx", "harness/cli/main.ts", ...args], { cwd: repoRoot }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
const file = (name: string, text: string) => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dgh-cli-")), name);
  fs.writeFileSync(f, text);
  return f;
};

// Bad input exits 2 with a message that names what is wrong and what is allowed, before any service starts.
describe("dgh run rejects bad input with exit 2", () => {
  it.each([
    ["malformed YAML", [file("s.yaml", "pattern: outbox\n  strategy: [polling")], /s\.yaml is not valid YAML/],
    ["malformed JSON", [file("s.json", "{ pattern: outbox")], /s\.json is not valid JSON/],
    [
      "an unknown field",
      [file("s.yaml", "pattern: outbox\nstrategy: polling\nduraton: 10\n")],
      /unknown scenario field "duraton"; allowed: .*durationS/,
    ],
    [
      "a bad duration",
      ["--pattern", "outbox", "--strategy", "polling", "--duration", "ten"],
      /durationS must be a duration like 30/,
    ],
    [
      "an unknown strategy",
      ["--pattern", "outbox", "--strategy", "poling"],
      /unknown strategy "poling" for pattern outbox; available: .*polling/,
    ],
    [
      "an unknown pattern",
      ["--pattern", "outbx", "--strategy", "polling"],
      /unknown pattern "outbx"; available: .*outbox/,
    ],
    [
      "a fault that does not parse",
      ["--pattern", "outbox", "--strategy", "polling", "--fault", "kill-relay"],
      /--fault "kill-relay" does not parse/,
    ],
    [
      "a fault target the strategy does not have",
      ["--pattern", "outbox", "--strategy", "cdc-debezium", "--fault", "crash-at:relay:after-publish@1+1"],
      /"relay" is not a worker of this strategy; workers: /,
    ],
    [
      "a process fault on a service of an external stack",
      ["--pattern", "outbox", "--strategy", "polling", "--env", "external", "--fault", "kill:kafka@5+2"],
      /process faults on services need an environment dgh started itself/,
    ],
    [
      "a random schedule with no gap",
      [
        file(
          "r.yaml",
          "pattern: outbox\nstrategy: polling\nfaults:\n  random: { everyS: 0, holdS: [0, 0], faults: [{ kind: kill, target: relay }] }\n",
        ),
      ],
      /faults\.random\.everyS must be a number >= 0\.1/,
    ],
    [
      "a random entry this seed may never draw",
      [
        file(
          "r.yaml",
          "pattern: outbox\nstrategy: polling\ndurationS: 4\nfaults:\n  random: { everyS: 3, holdS: [1, 1], faults: [{ kind: kill, target: relay }, { kind: toxic, service: kafka, toxic: { type: latency, attributes: { latncy: 5 } } }] }\n",
        ),
      ],
      /toxic latency: no attribute "latncy"; allowed: latency, jitter/,
    ],
    [
      "a misspelt strategy option",
      ["--pattern", "outbox", "--strategy", "polling", "--option", "pollIntervalMS=10"],
      /no option "pollIntervalMS"; options: .*pollIntervalMs/,
    ],
    [
      "an option of the wrong type",
      ["--pattern", "outbox", "--strategy", "polling", "--option", "batchSize=abc"],
      /option batchSize must be a whole number, got "abc"/,
    ],
    [
      "a numeric flag that is not a number",
      ["--pattern", "outbox", "--strategy", "polling", "--rate", "abc"],
      /--rate must be a number, got "abc"/,
    ],
    [
      "a fault outlasting the run",
      ["--pattern", "outbox", "--strategy", "polling", "--duration", "5s", "--fault", "kill:relay@4+3"],
      /must heal before quiesce/,
    ],
    ["a missing file", ["/nonexistent/s.yaml"], /does not exist/],
  ])("%s", async (_name, args, message) => {
    const r = await dgh(["run", ...(args as string[])]);
    expect(r.out).toMatch(message as RegExp);
    expect(r.code).toBe(2);
  });

  it("an environment that cannot start exits 2, says how to fix it, and leaves no run folder", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-noenv-"));
    const r = await dgh(["run", "--pattern", "outbox", "--strategy", "polling", "--env", "external", "--out", out]);
    expect(r.out).toMatch(/external environment could not start: .*set DGH_KAFKA/);
    expect(r.code).toBe(2);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it("dgh list names every strategy with its claims", async () => {
    const r = await dgh(["list"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/polling\s+claims delivery at-least-once, ordering per-key/);
    expect(r.out).toMatch(/dual-write\s+CONTROL claims delivery exactly-once/);
    expect(r.out).toMatch(/pollIntervalMs \(integer 1–60000, default 100\): /);
  });

  it("a fault that cannot apply, or touches nothing, makes the run UNKNOWN (exit 3), and the report names it", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-nofault-"));
    // The relay is paused (SIGSTOP) while the crash is armed, so it cannot reach its failpoint: nothing was
    // tested. (A 0 s hold alone was a race: at load 10 the relay reached the failpoint in the instant it was
    // armed and the crash applied.) And a latency toxic on Redis, which the polling outbox never uses.
    const r = await dgh([
      "run",
      "--pattern",
      "outbox",
      "--strategy",
      "polling",
      "--duration",
      "3s",
      "--warmup",
      "0",
      "--baseline",
      "0",
      "--fault",
      "pause:relay@0.5+1.5",
      "--fault",
      "crash-at:relay:after-publish@1+0",
      "--fault",
      "latency:redis:100@1+1",
      "--out",
      out,
    ]);
    expect(r.out).toMatch(/outbox\/polling: UNKNOWN/);
    expect(r.code).toBe(3);
    const [dir] = fs.readdirSync(out);
    expect(fs.readFileSync(path.join(out, dir!, "summary.md"), "utf8")).toMatch(
      /fault did not apply\*\*: crash relay at after-publish: relay did not reach after-publish/,
    );
    expect(fs.readFileSync(path.join(out, dir!, "summary.md"), "utf8")).toMatch(
      /fault did not apply\*\*: latency\(latency=100\) on redis downstream: no connection went through the redis proxy/,
    );
    expect(fs.readFileSync(path.join(out, dir!, "junit.xml"), "utf8")).toMatch(
      /<testcase [^>]*name="fault applied: crash relay at after-publish"><failure message="did not apply/,
    );
    // The stored run judged again from its folder, no services: the same verdict and exit code.
    const again = await dgh(["check", path.join(out, dir!)]);
    expect(again.out).toMatch(/same verdict as stored \(UNKNOWN\)/);
    expect(again.code).toBe(3);
    fs.rmSync(out, { recursive: true, force: true });
  }, 120_000);

  it("dgh run --impl runs a user's strategy module through the whole lifecycle on the real stack", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-impl-"));
    const mine = path.join(out, "my-strategy.ts");
    // A user's module: their own strategy object, built here from our polling relay with their own name and claims.
    fs.writeFileSync(
      mine,
      `import polling from ${JSON.stringify(path.join(repoRoot, "implementations/outbox/polling/strategy.ts"))};
      export default { ...polling, name: "my-relay", description: "a user's relay", claims: { delivery: "at-least-once" } };`,
    );
    const r = await dgh([
      "run",
      "--pattern",
      "outbox",
      "--strategy",
      "my-relay",
      "--impl",
      mine,
      "--duration",
      "3s",
      "--warmup",
      "0",
      "--baseline",
      "0",
      "--no-faults",
      "--out",
      out,
    ]);
    expect(r.out).toMatch(/outbox\/my-relay: PASS/);
    expect(r.code).toBe(0);
    fs.rmSync(out, { recursive: true, force: true });
  }, 120_000);
});
