import { describe, expect, it } from "vitest";
import { nextStep } from "./saga-steps.js";
import type { Order, Reply } from "./saga-schema.js";

const order = (plan: Order["plan"]): Order => ({
  id: "o1",
  customer: "c",
  sku: "sku-1",
  qty: 1,
  amount: 10,
  card: plan === "declined" ? "declined" : "ok",
  plan,
});
const reply = (type: Reply["type"], ok = true): Reply => ({ commandId: `o1:${type}`, sagaId: "o1", type, ok });

describe("saga steps", () => {
  it("happy path: reserve, charge, confirm", () => {
    expect(nextStep(order("complete"), reply("reserve"))).toEqual({ step: "charge", status: "running" });
    expect(nextStep(order("complete"), reply("charge"))).toEqual({ status: "completed" });
  });
  it("sold out: nothing to undo", () => {
    expect(nextStep(order("sold-out"), reply("reserve", false))).toEqual({ status: "compensated" });
  });
  it("declined: release the stock", () => {
    expect(nextStep(order("declined"), reply("charge", false))).toEqual({ step: "release", status: "running" });
    expect(nextStep(order("declined"), reply("release"))).toEqual({ status: "compensated" });
  });
  it("confirm fails after both steps: refund, then release", () => {
    expect(nextStep(order("confirm-fails"), reply("charge"))).toEqual({ step: "refund", status: "running" });
    expect(nextStep(order("confirm-fails"), reply("refund"))).toEqual({ step: "release", status: "running" });
  });
  it("without compensation a failure only cancels (the control)", () => {
    expect(nextStep(order("confirm-fails"), reply("charge"), false)).toEqual({ status: "compensated" });
    expect(nextStep(order("declined"), reply("charge", false), false)).toEqual({ status: "compensated" });
  });
});
