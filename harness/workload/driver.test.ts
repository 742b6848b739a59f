import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Driver } from "./driver.js";
import { Rng } from "./rng.js";
import { HistoryRecorder } from "../history/history-recorder.js";
import { readHistory } from "../history/reader.js";
import { Recorder } from "../metrics/histogram.js";
import { defaultWorkload } from "../scenario/scenario.js";
import type { Pattern, PatternRun, RunContext, StrategyRun } from "../run/contracts.js";
import type { InvokeEvent } from "../history/events.js";

/** A strategy that answers at once, except that it stalls every op between `fromMs` and `toMs` of the drive. */
function stallingStrategy(fromMs: number, toMs: number): StrategyRun & { t0: number } {
  const s = {
    t0: 0,
    async invoke() {
      const now = performance.now() - s.t0;
      if (now >= fromMs && now < toMs) await new Promise((r) => setTimeout(r, toMs - now));
      return { outcome: "ok" as const };
    },
    close: async () => {},
  };
  return s;
}

function driverFor(strategy: StrategyRun, workload = defaultWorkload) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-driver-"));
  const history = new HistoryRecorder(path.join(dir, "history.jsonl"));
  const metrics = new Recorder();
  const ctx = { history, metrics, rng: new Rng(1), workload, options: {} } as unknown as RunContext;
  const pattern = { nextOp: (i: number) => ({ f: "w", id: `x${i}` }) } as unknown as Pattern;
  const patternRun = { progress: async () => 0 } as unknown as PatternRun;
  return { driver: new Driver(ctx, pattern, strategy, patternRun, 5000), history, metrics, dir };
}

describe("the open-loop driver", () => {
  it("a 2 s stall at 100 ops/s shows in the latency of the ops that were due during it (no coordinated omission)", async () => {
    const strategy = stallingStrategy(500, 2500);
    const { driver, history, metrics, dir } = driverFor(strategy, {
      ...defaultWorkload,
      mode: "open",
      rateOpsPerS: 100,
    });
    strategy.t0 = performance.now();
    const r = await driver.drive(3, false);
    history.close();
    expect(r.ok).toBeGreaterThanOrEqual(295);
    const s = metrics.summaries().w!;
    // Ops due at 0.5 s waited until 2.5 s: the worst is ~2 s, and the stalled fifth of the ops pushes p90 up too.
    expect(s.maxUs).toBeGreaterThan(1_900_000);
    expect(s.p90Us).toBeGreaterThan(500_000);
    expect(s.p50Us).toBeLessThan(1_500_000);
    // The history says when each op was due: invokes went out on schedule, the stall is in the completions.
    const invokes = readHistory(history.file).filter((e): e is InvokeEvent => e.type === "invoke");
    expect(invokes.every((e) => e.intendedT !== undefined)).toBe(true);
    const late = invokes.map((e) => e.t - e.intendedT!);
    expect(Math.max(...late)).toBeLessThan(500_000);
    const gaps = invokes.slice(1).map((e, i) => e.intendedT! - invokes[i]!.intendedT!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(9_000);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the closed loop records no intended time: each client waits for its last op", async () => {
    const { driver, history, dir } = driverFor(stallingStrategy(0, 0), {
      ...defaultWorkload,
      mode: "closed",
      concurrency: 2,
    });
    await driver.drive(0.2, false);
    history.close();
    const invokes = readHistory(history.file).filter((e): e is InvokeEvent => e.type === "invoke");
    expect(invokes.length).toBeGreaterThan(10);
    expect(invokes.some((e) => e.intendedT !== undefined)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
