import type { Strategy } from "../../../harness/run/contracts.js";
import { orchestrationWorkers, startOrchestration } from "../shared/start-orchestration.js";

const nonIdempotentRefund: Strategy = {
  name: "non-idempotent-refund",
  description:
    "Control: the payment participant guards charges but applies every refund it receives, so a redelivered refund pays the customer back twice.",
  claims: { sagas: "atomic", effects: "exactly-once" },
  control: { expectedAnomalies: ["double-compensation"] },
  workers: orchestrationWorkers,
  conformance: [
    {
      name: "redelivered commands: one in three sent twice",
      workload: { params: { redeliverRate: 0.34 } },
      faults: [],
    },
  ],
  start: (ctx) => startOrchestration(ctx, { compensate: true, refundsUnguarded: true }),
};
export default nonIdempotentRefund;
