import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { readHistory } from "./reader.js";
import { operations } from "./events.js";
import { runCheckers } from "../checkers/run-checkers.js";
import { lost, duplicateDelivery } from "../checkers/delivery.js";
import { repoRoot } from "../env/stack-paths.js";

describe("history", () => {
  it("a harness killed mid-run leaves a history that parses and checks (open ops count as unknown)", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dgh-hist-")), "history.jsonl");
    const script = `import { HistoryRecorder } from "${path.join(repoRoot, "harness/history/history-recorder.ts")}";
      const h = new HistoryRecorder(${JSON.stringify(file)});
      for (let i = 0; ; i++) {
        h.record({ type: "invoke", op: i, f: "w", id: "x" + i }); if (i % 2) h.record({ type: "ok", op: i, f: "w", id: "x" + i });
        if (i % 100 === 0) await new Promise((r) => setImmediate(r)); // a real run yields to I/O between ops
        if (i === 2000) process.send?.("go");
      }`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: repoRoot,
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    await new Promise((r) => child.once("message", r));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const h = readHistory(file);
    const ops = operations(h);
    expect(ops.length).toBeGreaterThan(2000);
    expect(ops.filter((o) => o.outcome === "info").length).toBeGreaterThan(1000); // invoked, never completed
    const acked = ops.filter((o) => o.outcome === "ok").map((o) => ({ id: o.id }));
    const verdicts = runCheckers([lost(), duplicateDelivery], h, { deliveries: acked });
    expect(verdicts.map((v) => v.valid)).toEqual([true, true]);
  });

  it("an empty history checks clean; a line cut by a crash is skipped, a corrupt line in the middle is an error", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-hist-"));
    const f = path.join(dir, "h.jsonl");
    fs.writeFileSync(f, "");
    expect(runCheckers([lost(), duplicateDelivery], readHistory(f), {}).every((v) => v.valid === true)).toBe(true);
    fs.writeFileSync(
      f,
      '{"type":"invoke","t":1,"op":0,"f":"w","id":"a"}\n{"type":"ok","t":2,"op":0,"f":"w","id":"a"}\n{"type":"inv',
    );
    expect(operations(readHistory(f))).toMatchObject([{ id: "a", outcome: "ok" }]);
    fs.writeFileSync(
      f,
      '{"type":"invoke","t":1,"op":0,"f":"w","id":"a"}\n{nonsense\n{"type":"ok","t":2,"op":0,"f":"w","id":"a"}\n',
    );
    expect(() => readHistory(f)).toThrow(/h\.jsonl:2 is not JSON/);
  });

  it("duplicates of duplicates are counted once per id with every receipt", () => {
    const v = duplicateDelivery.check([], { deliveries: [{ id: "a" }, { id: "a" }, { id: "a" }, { id: "b" }] });
    expect(v.anomalies[0]).toMatchObject({ count: 1, evidence: [{ id: "a", times: 3 }] });
    expect(v.stats.duplicateDeliveries).toBe(2);
  });
});
