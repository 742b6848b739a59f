import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "../history/events.js";
import { abortedRead, duplicateDelivery, duplicateEffect, lost, perKeyOrder, phantom } from "./delivery.js";
import { balances, equivalence } from "./state.js";
import { judge } from "./claims.js";
import { runCheckers } from "./run-checkers.js";
import type { Checker, Observation } from "./types.js";

// Synthetic histories: for every anomaly a checker names, one history that has it and one that does not.
let t = 0;
const op = (
  n: number,
  id: string,
  outcome: "ok" | "fail" | "info" | null,
  extra: { key?: string; value?: unknown } = {},
): HistoryEvent[] => {
  const inv: HistoryEvent = { type: "invoke", t: t++, op: n, f: "write", id, ...extra };
  return outcome ? [inv, { type: outcome, t: t++, op: n, f: "write", id }] : [inv];
};
const history = [...op(0, "a", "ok"), ...op(1, "b", "ok"), ...op(2, "c", "fail"), ...op(3, "d", "info")];
const names = (c: Checker, h: HistoryEvent[], o: Observation) => c.check(h, o).anomalies.map((a) => a.name);

describe("lost", () => {
  it("names an acknowledged op that never arrived, and a committed one", () => {
    const v = lost().check(history, { committed: ["a", "b", "d"], deliveries: [{ id: "a" }] });
    expect(v.valid).toBe(false);
    expect(v.anomalies[0]!.count).toBe(2);
    expect(v.anomalies[0]!.evidence).toEqual([
      { id: "b", acked: true, committed: true },
      { id: "d", acked: false, committed: true },
    ]);
  });
  it("passes when everything acknowledged arrived; an unknown op that never committed is not lost", () => {
    expect(lost().check(history, { committed: ["a", "b"], deliveries: [{ id: "a" }, { id: "b" }] }).valid).toBe(true);
  });
  it("checks effects when told to", () => {
    expect(names(lost("effects"), history, { effects: [{ id: "a" }] })).toEqual(["lost"]);
  });
});

describe("duplicates", () => {
  it("counts duplicate deliveries with their offsets and the rate", () => {
    const v = duplicateDelivery.check(history, {
      deliveries: [
        { id: "a", offset: "0" },
        { id: "a", offset: "5" },
        { id: "b", offset: "1" },
      ],
    });
    expect(v.anomalies).toEqual([
      { name: "duplicate-delivery", count: 1, evidence: [{ id: "a", times: 2, offsets: ["0@0", "0@5"] }] },
    ]);
    expect(v.stats.duplicateRate).toBeCloseTo(1 / 3);
  });
  it("names a double charge", () => {
    expect(
      names(duplicateEffect, history, {
        effects: [
          { id: "a", amount: 5 },
          { id: "a", amount: 5 },
        ],
      }),
    ).toEqual(["duplicate-effect"]);
    expect(duplicateEffect.check(history, { effects: [{ id: "a" }, { id: "b" }] }).valid).toBe(true);
  });
});

describe("phantom", () => {
  it("names a delivery the source of truth never committed", () => {
    expect(names(phantom, history, { committed: ["a"], deliveries: [{ id: "a" }, { id: "c" }] })).toEqual(["phantom"]);
  });
  it("without a source of truth, a failed or never-invoked op's delivery is a phantom; an unknown one is not", () => {
    const v = phantom.check(history, { deliveries: [{ id: "c" }, { id: "zz" }, { id: "d" }] });
    expect(v.anomalies[0]!.evidence.map((e) => (e as { id: string }).id)).toEqual(["c", "zz"]);
  });
});

describe("per-key order", () => {
  it("names a key whose newer event arrived before an older one", () => {
    const v = perKeyOrder.check([], {
      deliveries: [
        { id: "k1-1", key: "k1", seq: 1 },
        { id: "k1-3", key: "k1", seq: 3 },
        { id: "k1-2", key: "k1", seq: 2, offset: "9" },
        { id: "k2-1", key: "k2", seq: 1 },
      ],
    });
    expect(v.anomalies).toEqual([
      {
        name: "reordered",
        count: 1,
        evidence: [{ key: "k1", id: "k1-2", seq: 2, offset: "9", after: { id: "k1-3", seq: 3, offset: undefined } }],
      },
    ]);
  });
  it("a redelivery of an id already seen is a duplicate, not a reorder", () => {
    expect(
      perKeyOrder.check([], {
        deliveries: [
          { id: "x1", key: "k", seq: 1 },
          { id: "x2", key: "k", seq: 2 },
          { id: "x1", key: "k", seq: 1 },
          { id: "x2", key: "k", seq: 2 },
        ],
      }).valid,
    ).toBe(true);
  });
});

describe("aborted-read", () => {
  it("names a record of an aborted transaction that a reader received", () => {
    expect(
      names(abortedRead, [], { aborted: [{ id: "t1" }], deliveries: [{ id: "t1", offset: "4" }, { id: "t2" }] }),
    ).toEqual(["aborted-read"]);
    expect(abortedRead.check([], { aborted: [{ id: "t1" }], deliveries: [{ id: "t2" }] }).valid).toBe(true);
  });
  it("with positions, only the aborted position counts: the same id committed later by a retry is fine", () => {
    const aborted = [{ id: "p1", partition: 0, offset: "4" }];
    expect(names(abortedRead, [], { aborted, deliveries: [{ id: "p1", partition: 0, offset: "4" }] })).toEqual([
      "aborted-read",
    ]);
    expect(abortedRead.check([], { aborted, deliveries: [{ id: "p1", partition: 0, offset: "7" }] }).valid).toBe(true);
  });
});

describe("balances", () => {
  const h = [
    ...op(0, "w1", "ok", { key: "acct", value: { delta: 100 } }),
    ...op(1, "w2", "ok", { key: "acct", value: { delta: -70 } }),
    ...op(2, "w3", "info", { key: "acct", value: { delta: -10 } }),
  ];
  it("names a lost update when the final balance is not what the acknowledged ops give", () => {
    expect(names(balances(), h, { balances: { acct: 100 } })).toEqual(["lost-update"]);
  });
  it("allows an op of unknown outcome either way", () => {
    expect(balances().check(h, { balances: { acct: 30 } }).valid).toBe(true);
    expect(balances().check(h, { balances: { acct: 20 } }).valid).toBe(true);
  });
  it("as a conservation check, names a ledger that does not add up as an invariant violation", () => {
    expect(names(balances("invariant-violation"), h, { balances: { acct: 100 } })).toEqual(["invariant-violation"]);
  });
  it("keeps the invoke's delta when the completion adds a value of its own", () => {
    const withResult: HistoryEvent[] = [
      { type: "invoke", t: 1, op: 9, f: "deposit", id: "d", key: "acct", value: { delta: 5 } },
      { type: "ok", t: 2, op: 9, f: "deposit", id: "d", value: { version: 3 } },
    ];
    expect(balances().check(withResult, { balances: { acct: 5 } }).valid).toBe(true);
    expect(names(balances(), withResult, { balances: { acct: 0 } })).toEqual(["lost-update"]);
  });
  it("names a balance that dipped below zero and recovered", () => {
    expect(names(balances(), [], { balances: { acct: 10 }, lowestBalances: { acct: -30 } })).toEqual([
      "invariant-violation",
    ]);
    expect(balances().check([], { balances: { acct: 10 }, lowestBalances: { acct: 0 } }).valid).toBe(true);
  });
  it("names a negative balance as an invariant violation", () => {
    expect(names(balances(), [], { balances: { acct: -40 } })).toEqual(["invariant-violation"]);
  });
});

describe("equivalence", () => {
  it("names keys where two models differ", () => {
    const c = equivalence("snapshot", "stale-snapshot");
    expect(names(c, [], { models: { snapshot: { expected: { a: { b: 1 } }, actual: { a: { b: 2 } } } } })).toEqual([
      "stale-snapshot",
    ]);
    expect(c.check([], { models: { snapshot: { expected: { a: 1 }, actual: { a: 1 } } } }).valid).toBe(true);
  });
});

const clean = { faultsNotApplied: [], pending: [] };

describe("claims and composition", () => {
  const obs: Observation = { committed: ["a", "b"], deliveries: [{ id: "a" }, { id: "a" }, { id: "b" }] };
  it("duplicates are allowed (counted) under at-least-once and fail exactly-once", () => {
    const verdicts = runCheckers([lost(), duplicateDelivery], history, obs);
    expect(judge({ delivery: "at-least-once" }, verdicts, clean)).toMatchObject({
      result: "pass",
      allowed: [{ anomaly: "duplicate-delivery", count: 1 }],
    });
    expect(judge({ delivery: "exactly-once" }, verdicts, clean)).toMatchObject({
      result: "fail",
      violations: [{ anomaly: "duplicate-delivery" }],
    });
  });
  it("a checker that throws gives unknown, never pass, and false beats unknown", () => {
    const verdicts = runCheckers([equivalence("missing", "diverged")], history, obs);
    expect(verdicts[0]!.valid).toBe("unknown");
    expect(judge({ state: "consistent" }, verdicts, clean).result).toBe("unknown");
    const both = runCheckers([equivalence("missing", "diverged"), lost()], history, {
      committed: ["a"],
      deliveries: [],
    });
    expect(judge({ delivery: "at-least-once" }, both, clean).result).toBe("fail");
  });
});
