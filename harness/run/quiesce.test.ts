import { describe, expect, it } from "vitest";
import { quiesce } from "./quiesce.js";
import type { PatternRun, StrategyRun } from "./contracts.js";

/** A pipeline whose arrivals stopped long ago, with a sink that holds `backlog()` records. */
function pipeline(backlog: () => number, outstanding = 6) {
  const pattern = {
    progress: async () => 1000,
    outstanding: async () => outstanding,
    pending: async () => [{ stage: "sink", count: backlog() }],
  } as unknown as PatternRun;
  const strategy = { invoke: async () => ({ outcome: "ok" }), close: async () => {} } as unknown as StrategyRun;
  return { pattern, strategy };
}

describe("quiesce", () => {
  it("does not end on quiet alone while a stage still holds work (the sink restarting after a crash)", async () => {
    const t0 = performance.now();
    const { pattern, strategy } = pipeline(() => (performance.now() - t0 < 1500 ? 339 : 0));
    const q = await quiesce(pattern, strategy, 300, 10);
    expect(q.drained).toBe(true);
    expect(q.waitedMs).toBeGreaterThanOrEqual(1500);
  });
  it("names the stage and its count when the bound passes first", async () => {
    const { pattern, strategy } = pipeline(() => 339);
    const q = await quiesce(pattern, strategy, 300, 1);
    expect(q).toMatchObject({ drained: false, boundS: 1, pending: [{ stage: "sink", count: 339 }] });
  });
  it("ends as soon as every stage is empty and nothing has moved for the quiet time (what is missing is lost)", async () => {
    const { pattern, strategy } = pipeline(() => 0);
    const q = await quiesce(pattern, strategy, 300, 10);
    expect(q.drained).toBe(true);
    expect(q.waitedMs).toBeLessThan(2000);
  });
  it("a stage probe that throws (a coordinator still loading) is pending, not a crash and not empty", async () => {
    const t0 = performance.now();
    const { strategy } = pipeline(() => 0);
    const pattern = {
      progress: async () => 1000,
      pending: async () => {
        if (performance.now() - t0 < 1000) throw new Error("Broker: Coordinator load in progress");
        return [];
      },
    } as unknown as PatternRun;
    const q = await quiesce(pattern, strategy, 300, 10);
    expect(q.drained).toBe(true);
    expect(q.waitedMs).toBeGreaterThanOrEqual(1000);
    const stuck = await quiesce(
      {
        ...pattern,
        pending: async () => {
          throw new Error("Coordinator load in progress");
        },
      } as unknown as PatternRun,
      strategy,
      300,
      1,
    );
    expect(stuck.pending).toEqual([{ stage: "pipeline (probe failed: Coordinator load in progress)", count: 1 }]);
  });
});
