import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ClientPool } from "./client-pool.js";
import { Worker } from "./worker.js";
import { firedWithWork } from "../faults/fired-with-work.js";
import { FaultNotApplied } from "../faults/fault-kind.js";

/**
 * The worker protocol from a program that is not TypeScript (a Python one-file worker): readiness and answers
 * as JSON lines on stdout, anything else on stdout as log, ops on stdin, a failpoint that records the work in
 * flight and kills the process, stats through $DGH_STATS_FILE.
 */
const program = `
import json, os, signal, sys
print("starting up")                      # not a protocol line: goes to the log
json.dump({"calls": 1}, open(os.environ["DGH_STATS_FILE"], "w"))
print(json.dumps({"type": "ready"}), flush=True)
for line in sys.stdin:
    m = json.loads(line)
    fp = os.environ["DGH_FAILPOINT_FILE"]
    if os.path.exists(fp) and open(fp).read() == "before-answer":
        open(fp + ".fired", "w").write(json.dumps({"failpoint": "before-answer", "inFlight": 1}))
        os.remove(fp)
        os.kill(os.getpid(), signal.SIGKILL)
    print(json.dumps({"type": "done", "n": m["n"], "completion": {"outcome": "ok", "value": m["op"]["id"]}}), flush=True)
`;

describe("a worker in another language", () => {
  it("says ready, answers ops, logs the rest, and crashes at an armed failpoint with its work in flight", async () => {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-protocol-"));
    const w = new Worker({ name: "client", command: { argv: ["python3", "-c", program] }, config: {} }, runDir);
    await w.start(10_000);
    const pool = new ClientPool([w]);
    expect(await pool.invoke({ f: "order", id: "op-1" })).toEqual({ outcome: "ok", value: "op-1" });

    w.armFailpoint("before-answer");
    expect(await pool.invoke({ f: "order", id: "op-2" })).toMatchObject({ outcome: "info" }); // died with it in flight
    expect(await w.waitExit(5000)).toBe(true);
    expect(w.fired()).toEqual({ failpoint: "before-answer", inFlight: 1 });

    await w.start(10_000); // a restart: a second stats file, the same log
    expect(await pool.invoke({ f: "order", id: "op-3" })).toEqual({ outcome: "ok", value: "op-3" });
    await w.stop();
    const log = fs.readFileSync(path.join(runDir, "workers", "client.log"), "utf8");
    expect(log.match(/starting up/g)).toHaveLength(2);
    expect(log).not.toMatch(/"type"/);
    expect(fs.readdirSync(path.join(runDir, "workers")).filter((f) => f.endsWith(".stats.json"))).toHaveLength(2);
    fs.rmSync(runDir, { recursive: true });
  });
});

describe("a failpoint's proof", () => {
  it("counts a crash with work in flight, refuses one with none, and says nothing when the worker did not tell", () => {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-fired-"));
    const w = new Worker({ name: "relay", module: "unused.ts", config: {} }, runDir);
    w.armFailpoint("after-mark"); // makes the control folder
    const fired = path.join(runDir, "control", "relay.failpoint.fired");
    expect(firedWithWork(w, "after-mark")).toEqual({});
    fs.writeFileSync(fired, JSON.stringify({ failpoint: "after-mark", inFlight: 12 }));
    expect(firedWithWork(w, "after-mark")).toEqual({ inFlight: 12 });
    fs.writeFileSync(fired, JSON.stringify({ failpoint: "after-mark", inFlight: 0 }));
    expect(() => firedWithWork(w, "after-mark")).toThrow(FaultNotApplied);
    fs.rmSync(runDir, { recursive: true });
  });
});
