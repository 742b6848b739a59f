import type { Strategy } from "../../../harness/run/contracts.js";
import {
  consumerCount,
  consumerName,
  guardPath,
  startPaymentStrategy,
  consumerOptions,
} from "../shared/start-strategy.js";
import guard from "./guard.js";

const none: Strategy = {
  name: "none",
  description: "Control: no de-duplication at all; believes each payment is charged once.",
  options: consumerOptions,
  claims: { effects: "exactly-once" },
  control: { expectedAnomalies: ["duplicate-effect"] },
  workers: (o) =>
    Object.fromEntries(Array.from({ length: consumerCount(o) }, (_, i) => [consumerName(i), ["after-charge"]])),
  conformance: [
    {
      name: "consumer killed after the charge, before the offset commit",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "consumer", failpoint: "after-charge" } }],
    },
  ],
  start: (ctx) => startPaymentStrategy(ctx, guardPath(import.meta.url), guard.failpoints),
};
export default none;
