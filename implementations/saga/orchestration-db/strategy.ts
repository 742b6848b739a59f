import type { Strategy } from "../../../harness/run/contracts.js";
import { orchestrationWorkers, startOrchestration } from "../shared/start-orchestration.js";

const orchestrationDb: Strategy = {
  name: "orchestration-db",
  description:
    "An orchestrator whose saga state is a PostgreSQL row: each reply advances it in a transaction that writes the next command to an outbox; resumes from the table after a crash.",
  claims: { sagas: "atomic", effects: "exactly-once" },
  workers: orchestrationWorkers,
  conformance: [
    {
      name: "orchestrator killed (SIGKILL) mid-run, restarted",
      faults: [{ atS: 2, forS: 2, fault: { kind: "kill", target: "orchestrator" } }],
      tier: "full", // CI has the sweep's crash at each of its failpoints
    },
  ],
  start: (ctx) => startOrchestration(ctx, { compensate: true }),
};
export default orchestrationDb;
