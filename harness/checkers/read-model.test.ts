import { describe, expect, it } from "vitest";
import { foldSummary, monotonicReads, readModelConvergence, type SummaryEvent } from "./read-model.js";
import type { Observation, SummaryRow } from "./types.js";

// Synthetic read models of the projection pattern: for every anomaly these checkers name, one that has it and one that does not.
const events: SummaryEvent[] = [
  { version: 1, type: "OrderPlaced", amount: 30 },
  { version: 2, type: "OrderPaid", amount: 30 },
  { version: 3, type: "OrderPlaced", amount: 5 },
  { version: 4, type: "OrderCancelled", amount: 5 },
];
const folded = foldSummary(events);
const model = (actual: Record<string, SummaryRow>): Observation => ({
  readModel: { expected: { "customer-1": folded }, actual },
});
const names = (obs: Observation) => readModelConvergence.check([], obs).anomalies.map((a) => a.name);

describe("foldSummary", () => {
  it("counts orders, keeps the total net of cancellations, the last status and version", () => {
    expect(folded).toEqual({ orders: 2, total: 30, status: "OrderCancelled", version: 4, events: 4 });
  });
});

describe("read-model-convergence", () => {
  it("passes when every row equals the fold of its events", () => {
    const v = readModelConvergence.check([], model({ "customer-1": { ...folded } }));
    expect(v.valid).toBe(true);
    expect(v.stats.keys).toBe(1);
  });
  it("names a row that applied an event twice: duplicate-effect", () => {
    const twice = foldSummary([...events.slice(0, 3), events[2]!, events[3]!]);
    expect(names(model({ "customer-1": twice }))).toEqual(["duplicate-effect"]);
    const v = readModelConvergence.check([], model({ "customer-1": twice }));
    expect(v.anomalies[0]!.evidence[0]).toMatchObject({ key: "customer-1", appliedTwice: 1 });
  });
  it("names a row settled on an older event: diverged", () => {
    const stale = foldSummary([events[0]!, events[1]!, events[3]!, events[2]!]);
    expect(names(model({ "customer-1": stale }))).toEqual(["diverged"]);
  });
  it("names a row that lost an event, a missing row and a row nobody wrote: diverged", () => {
    expect(names(model({ "customer-1": foldSummary(events.slice(0, 3)) }))).toEqual(["diverged"]);
    expect(names(model({}))).toEqual(["diverged"]);
    expect(names(model({ "customer-1": folded, "customer-9": folded }))).toEqual(["diverged"]);
  });
  it("cannot judge without a read model", () => {
    expect(() => readModelConvergence.check([], {})).toThrow(/no read model/);
  });
});

describe("monotonic-reads", () => {
  const seen = (versionsSeen: Record<string, number[]>) => monotonicReads.check([], { versionsSeen });
  it("passes when each reader saw versions only grow", () => {
    const v = seen({ "customer-1": [1, 3, 4], "customer-2": [2] });
    expect(v.valid).toBe(true);
    expect(v.stats).toMatchObject({ keys: 2, changesSeen: 4 });
  });
  it("names a row seen going back to an older version: non-monotonic", () => {
    const v = seen({ "customer-1": [1, 3, 2, 4] });
    expect(v.anomalies.map((a) => [a.name, a.count])).toEqual([["non-monotonic", 1]]);
    expect(v.anomalies[0]!.evidence[0]).toEqual({ key: "customer-1", saw: 3, later: 2, change: 2 });
  });
  it("names a row seen vanishing (a rebuild in place): non-monotonic", () => {
    const v = seen({ "customer-1": [2, 5, 0, 5] });
    expect(v.anomalies[0]!.evidence[0]).toMatchObject({ saw: 5, later: 0, gone: true });
  });
  it("cannot judge without what a reader saw", () => {
    expect(() => monotonicReads.check([], {})).toThrow(/no versions/);
  });
});
