import { describe, expect, it } from "vitest";
import { decide, replay, upcast } from "./account.js";

describe("account aggregate", () => {
  it("replays a stream mixing v1 and v2 events through the upcaster", () => {
    const s = replay([
      { type: "Opened", v: 2, data: { owner: "a" } },
      { type: "Deposited", v: 1, data: { amt: 100 } },
      { type: "Withdrawn", v: 2, data: { amount: 30, currency: "EUR" } },
      { type: "Deposited", v: 1, data: { amt: 5 } },
    ]);
    expect(s).toEqual({ open: true, balance: 75, deposits: 2, withdrawals: 1, version: 4 });
  });
  it("refuses an event version it has no upcaster for", () => {
    expect(() => upcast({ type: "Deposited", v: 7, data: {} })).toThrow(/no upcaster for Deposited v7/);
  });
  it("rejects a withdrawal that would make the balance negative", () => {
    const s = replay([
      { type: "Opened", v: 2, data: { owner: "a" } },
      { type: "Deposited", v: 2, data: { amount: 50, currency: "EUR" } },
    ]);
    expect(decide(s, { f: "withdraw", amount: 70 })).toEqual({ rejected: "insufficient funds: balance 50 < 70" });
    expect(decide(s, { f: "withdraw", amount: 50 })).toHaveLength(1);
  });
});
