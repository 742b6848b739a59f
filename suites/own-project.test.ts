import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { repoRoot } from "../harness/env/stack-paths.js";

const run = promisify(execFile);
const fixture = path.join(repoRoot, "suites", "fixtures", "own-project");

/**
 * dgh as a dependency of someone else's project: a temporary folder outside the repository depends on dgh by
 * path, writes its own strategy against the exported API (suites/fixtures/own-project/), and runs
 * `npx dgh conformance` from its own folder.
 */
describe("a project of your own", () => {
  it("depends on dgh, writes a strategy against its API, and runs npx dgh conformance", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-own-project-"));
    for (const f of ["strategy.ts", "relay.ts"]) fs.copyFileSync(path.join(fixture, f), path.join(dir, f));
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const dependencies = { dgh: `file:${repoRoot}`, kafkajs: pkg.dependencies.kafkajs!, pg: pkg.dependencies.pg! };
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "my-orders", private: true, type: "module", dependencies }),
    );
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: dir });
    const args = ["dgh", "conformance", "--pattern", "outbox", "--impl", "./strategy.ts", "--case", "quiet"];
    const r = await run("npx", [...args, "--out", "conformance"], { cwd: dir }).then(
      (x) => ({ code: 0, out: x.stdout + x.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    expect(r.code, r.out).toBe(0);
    const summary = fs.readFileSync(path.join(dir, "conformance", "summary.md"), "utf8");
    expect(summary).toMatch(/# Conformance: outbox\/my-relay[\s\S]*PASS/);
    fs.rmSync(dir, { recursive: true });
  }, 400_000);
});
