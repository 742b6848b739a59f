import type { ConformanceCase } from "../../harness/run/contracts.js";

/**
 * What every saga implementation that claims atomic sagas must survive, whatever cases it declares. The targets
 * are the services and the two participants every implementation has (an orchestrator, a Temporal worker or a
 * choreographed order service differ, so crashes there are the strategy's own cases and its failpoint sweep).
 * Compensation only runs for orders that fail late, so each case runs long enough for dozens of them.
 */
export function sagaProfile(): ConformanceCase[] {
  return [
    {
      // Every third command sent twice: a participant that is not idempotent charges or refunds twice.
      name: "redelivered commands: one in three sent twice",
      workload: { params: { redeliverRate: 0.34 } },
      faults: [],
    },
    {
      // CI has the failpoint sweep's crash of each participant after its commit, which this adds little to.
      name: "payment participant killed (SIGKILL) mid-run, restarted",
      faults: [{ atS: 2, forS: 2, fault: { kind: "kill", target: "payment" } }],
      tier: "full",
    },
    {
      name: "Kafka link down 3 s",
      faults: [{ atS: 2, forS: 3, fault: { kind: "link-down", service: "kafka" } }],
    },
    {
      name: "PostgreSQL restart",
      faults: [{ atS: 2, forS: 0, fault: { kind: "restart", target: "postgres" } }],
    },
    {
      name: "quiet: 10 orders/s, no fault",
      workload: { rateOpsPerS: 10 },
      faults: [],
      tier: "full",
    },
  ];
}
