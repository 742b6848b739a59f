import type { Strategy } from "../../../harness/run/contracts.js";
import { orchestrationWorkers, startOrchestration } from "../shared/start-orchestration.js";

const noCompensation: Strategy = {
  name: "no-compensation",
  description:
    "Control: the same orchestrator, but a failed step only cancels the order; the stock reserved and the money charged before it stay taken.",
  claims: { sagas: "atomic", effects: "exactly-once" },
  control: { expectedAnomalies: ["partial-saga"] },
  workers: orchestrationWorkers,
  conformance: [{ name: "no fault: declined cards and failed confirmations", faults: [] }],
  start: (ctx) => startOrchestration(ctx, { compensate: false }),
};
export default noCompensation;
