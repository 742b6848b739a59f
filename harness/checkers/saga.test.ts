import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "../history/events.js";
import { sagaOutcomes, stockConservation } from "./saga.js";
import type { SagaRecord } from "./types.js";

// Synthetic sagas: for every anomaly the saga checkers name, one history that has it and one that does not.
let t = 0;
const order = (n: number, id: string, plan: string, outcome: "ok" | "fail" | "info" = "ok"): HistoryEvent[] => {
  const value = { sku: "sku-1", qty: 2, amount: 30, plan };
  return [
    { type: "invoke", t: t++, op: n, f: "order", id, value },
    { type: outcome, t: t++, op: n, f: "order", id },
  ];
};
const reserve = { kind: "reserve", amount: 2, sku: "sku-1" } as const;
const release = { kind: "release", amount: 2, sku: "sku-1" } as const;
const charge = { kind: "charge", amount: 30 } as const;
const refund = { kind: "refund", amount: 30 } as const;
const completed = (id: string): SagaRecord => ({ id, status: "completed", effects: [reserve, charge] });
const undone = (id: string): SagaRecord => ({ id, status: "compensated", effects: [reserve, charge, refund, release] });
const history = [...order(0, "o1", "complete"), ...order(1, "o2", "confirm-fails"), ...order(2, "o3", "sold-out")];
const sagas = [completed("o1"), undone("o2"), { id: "o3", status: "compensated", effects: [] }];
const names = (s: SagaRecord[], h = history) => sagaOutcomes.check(h, { sagas: s }).anomalies.map((a) => a.name);

describe("saga-outcomes", () => {
  it("passes completed and fully compensated sagas, and counts them", () => {
    const v = sagaOutcomes.check(history, { sagas });
    expect(v.valid).toBe(true);
    expect(v.stats).toMatchObject({ completed: 1, compensated: 2, stuck: 0, plannedToComplete: 1 });
  });
  it("names a cancelled order that still holds its charge (no refund ran): partial-saga", () => {
    const v = sagaOutcomes.check(history, {
      sagas: [completed("o1"), { id: "o2", status: "compensated", effects: [reserve, charge, release] }, sagas[2]!],
    });
    expect(v.anomalies.map((a) => a.name)).toEqual(["partial-saga"]);
    expect(v.anomalies[0]!.evidence[0]).toMatchObject({ id: "o2", charged: 30, reserved: 0 });
  });
  it("names a completed saga without its charge: partial-saga", () => {
    expect(names([{ id: "o1", status: "completed", effects: [reserve] }, sagas[1]!, sagas[2]!])).toEqual([
      "partial-saga",
    ]);
  });
  it("names a saga still running after quiesce: stuck-saga", () => {
    expect(names([completed("o1"), { id: "o2", status: "charging", effects: [reserve] }, sagas[2]!])).toEqual([
      "stuck-saga",
    ]);
  });
  it("names two charges: duplicate-effect", () => {
    expect(
      names([{ id: "o1", status: "completed", effects: [reserve, charge, charge] }, sagas[1]!, sagas[2]!]),
    ).toEqual(["duplicate-effect", "partial-saga"]);
  });
  it("names two refunds, and a refund without a charge: double-compensation", () => {
    const twice = { id: "o2", status: "compensated", effects: [reserve, charge, refund, refund, release] };
    expect(names([completed("o1"), twice, sagas[2]!])).toEqual(["double-compensation", "partial-saga"]);
    const without = { id: "o3", status: "compensated", effects: [refund] };
    expect(names([completed("o1"), sagas[1]!, without])).toEqual(["double-compensation", "partial-saga"]);
  });
  it("names an order planned to fail that completed: invariant-violation", () => {
    expect(names([completed("o1"), completed("o2"), sagas[2]!])).toEqual(["invariant-violation"]);
  });
  it("names an accepted order with no saga (lost); a failed one may have none", () => {
    expect(names([completed("o1"), sagas[1]!])).toEqual(["lost"]);
    const h = [...order(0, "o1", "complete"), ...order(1, "o2", "complete", "fail")];
    expect(names([completed("o1")], h)).toEqual([]);
  });
  it("names cancelling what should complete: no-progress below half", () => {
    const h = Array.from({ length: 10 }, (_, i) => order(i, `c${i}`, "complete")).flat();
    const s = Array.from({ length: 10 }, (_, i) => (i < 4 ? completed(`c${i}`) : undone(`c${i}`)));
    expect(names(s, h)).toEqual(["no-progress"]);
    const s6 = Array.from({ length: 10 }, (_, i) => (i < 6 ? completed(`c${i}`) : undone(`c${i}`)));
    expect(names(s6, h)).toEqual([]);
  });
  it("cannot decide without sagas", () => {
    expect(() => sagaOutcomes.check(history, {})).toThrow(/no sagas/);
  });
});

describe("stock-conservation", () => {
  const stock = (available: number, lowest = available) => ({ "sku-1": { initial: 100, available, lowest } });
  it("passes when what left the shelf is what completed sagas hold", () => {
    expect(stockConservation.check([], { sagas, stock: stock(98) }).valid).toBe(true);
  });
  it("names stock that left without a reservation, and stock below zero", () => {
    const v = stockConservation.check([], { sagas, stock: stock(96, -1) });
    expect(v.anomalies.map((a) => [a.name, a.count])).toEqual([["invariant-violation", 2]]);
  });
});
