import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Strategy } from "../../../harness/run/contracts.js";
import { startOrchestration } from "../shared/start-orchestration.js";

const orchestrator = path.join(path.dirname(fileURLToPath(import.meta.url)), "orchestrator.ts");

const inMemoryOrchestrator: Strategy = {
  name: "in-memory-orchestrator",
  description:
    "Control: the orchestrator keeps where each saga stands in memory and sends commands straight to Kafka; killed, it forgets the sagas in flight.",
  claims: { sagas: "atomic", effects: "exactly-once" },
  control: { expectedAnomalies: ["stuck-saga"] },
  workers: () => ({ orchestrator: ["after-step"], inventory: ["after-commit"], payment: ["after-commit"] }),
  conformance: [
    {
      name: "orchestrator crashes between two steps, restarted",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "orchestrator", failpoint: "after-step" } }],
    },
  ],
  start: (ctx) => startOrchestration(ctx, { compensate: true, orchestrator }),
};
export default inMemoryOrchestrator;
