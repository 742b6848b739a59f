import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { repoRoot } from "../env/stack-paths.js";

const run = promisify(execFile);
const dgh = (args: string[]) =>
  run("node", ["--import", "tsx", "harness/cli/main.ts", ...args], { cwd: repoRoot })
    .then((r) => ({ code: 0, out: r.stdout + r.stderr }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }));
const file = (name: string, text: string) => { const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dgh-cli-")), name); fs.writeFileSync(f, text); return f; };

// Bad input exits 2 with a message that names what is wrong and what is allowed, before any service starts.
describe("dgh run rejects bad input with exit 2", () => {
  it.each([
    ["malformed YAML", [file("s.yaml", "pattern: outbox\n  strategy: [polling")], /s\.yaml is not valid YAML/],
    ["malformed JSON", [file("s.json", "{ pattern: outbox")], /s\.json is not valid JSON/],
    ["an unknown field", [file("s.yaml", "pattern: outbox\nstrategy: polling\nduraton: 10\n")], /unknown scenario field "duraton"; allowed: .*durationS/],
    ["a bad duration", ["--pattern", "outbox", "--strategy", "polling", "--duration", "ten"], /durationS must be a duration like 30/],
    ["an unknown strategy", ["--pattern", "outbox", "--strategy", "poling"], /unknown strategy "poling" for pattern outbox; available: .*polling/],
    ["an unknown pattern", ["--pattern", "outbx", "--strategy", "polling"], /unknown pattern "outbx"; available: .*outbox/],
    ["a fault that does not parse", ["--pattern", "outbox", "--strategy", "polling", "--fault", "kill-relay"], /--fault "kill-relay" does not parse/],
    ["a fault target the strategy does not have", ["--pattern", "outbox", "--strategy", "cdc-debezium", "--fault", "crash-at:relay:after-publish@1+1"], /"relay" is not a worker with failpoints/],
    ["a fault outlasting the run", ["--pattern", "outbox", "--strategy", "polling", "--duration", "5s", "--fault", "kill:relay@4+3"], /must heal before quiesce/],
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
  });

  it("dgh run --impl runs a user's strategy module through the whole lifecycle on the real stack", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-impl-"));
    const mine = path.join(out, "my-strategy.ts");
    // A user's module: their own strategy object, built here from our polling relay with their own name and claims.
    fs.writeFileSync(mine, `import polling from ${JSON.stringify(path.join(repoRoot, "implementations/outbox/polling/strategy.ts"))};
      export default { ...polling, name: "my-relay", description: "a user's relay", claims: { delivery: "at-least-once" } };`);
    const r = await dgh(["run", "--pattern", "outbox", "--strategy", "my-relay", "--impl", mine, "--duration", "3s", "--warmup", "0", "--baseline", "0", "--no-faults", "--out", out]);
    expect(r.out).toMatch(/outbox\/my-relay: PASS/);
    expect(r.code).toBe(0);
    fs.rmSync(out, { recursive: true, force: true });
  }, 120_000);
});
