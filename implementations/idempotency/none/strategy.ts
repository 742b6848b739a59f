import type { Strategy } from "../../../harness/run/contracts.js";
import { consumerWorkers, guardPath, startPaymentStrategy, consumerOptions } from "../shared/start-strategy.js";
import guard from "./guard.js";

const none: Strategy = {
  name: "none",
  description: "Control: no de-duplication at all; believes each payment is charged once.",
  options: consumerOptions,
  claims: { effects: "exactly-once" },
  control: { expectedAnomalies: ["duplicate-effect"] },
  workers: consumerWorkers(guard.failpoints),
  conformance: [
    {
      name: "consumer killed after the charge, before the offset commit",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "consumer", failpoint: "after-charge" } }],
    },
  ],
  start: (ctx) => startPaymentStrategy(ctx, guardPath(import.meta.url)),
};
export default none;
