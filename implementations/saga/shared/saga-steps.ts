import type { Command, Order, Reply } from "./saga-schema.js";

/**
 * The saga's steps, for orchestrators that keep its state themselves: reserve the stock, charge the card,
 * confirm (the order service's own step, which fails for "confirm-fails" orders); a failure undoes what came
 * before, in reverse: refund, then release. `compensate: false` is the no-compensation control: a failure just
 * cancels the order and leaves the earlier steps in place.
 */
export type Step = Command["type"];
export type Transition = { step: Step; status: "running" } | { status: "completed" | "compensated" };

export function firstStep(): Step {
  return "reserve";
}

/** Where a saga goes after `reply` to its current step. */
export function nextStep(order: Order, reply: Reply, compensate = true): Transition {
  const undo = (step: Step): Transition => (compensate ? { step, status: "running" } : { status: "compensated" });
  switch (reply.type) {
    case "reserve":
      return reply.ok ? { step: "charge", status: "running" } : { status: "compensated" }; // nothing to undo
    case "charge":
      if (!reply.ok) return undo("release");
      return order.plan === "confirm-fails" ? undo("refund") : { status: "completed" };
    case "refund":
      return { step: "release", status: "running" };
    case "release":
      return { status: "compensated" };
  }
}

/** A compensation step: the orchestrator's "mid-compensation" failpoint fires after entering one. */
export const isCompensation = (step: Step) => step === "refund" || step === "release";
