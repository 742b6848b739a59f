import type { ConformanceCase } from "../../harness/run/contracts.js";

/**
 * What every consumer that claims "applied or dead-lettered, never both" and the declared backoff must survive,
 * whatever cases it declares: PostgreSQL (its dependency) down for less than the retry budget (nothing may be
 * dead-lettered: the failure healed in time) and for more (dead-lettered, then reprocessed once it is back), Kafka
 * cut while retries are under way, and a crash at each failpoint (the sweep). The budget is the declared 5 min
 * scaled by `timeScale` 0.005: 1.5 s.
 */
export function dlqProfile(): ConformanceCase[] {
  return [
    {
      name: "PostgreSQL down 1 s, less than the retry budget: nothing dead-lettered for it",
      faults: [{ atS: 2, forS: 1, fault: { kind: "link-down", service: "postgres" } }],
      expectFigures: { appliedAfterRetry: 1 }, // a payment failed in the outage and was applied on a retry
    },
    {
      name: "PostgreSQL down 6 s, well past the retry budget: dead-lettered, then reprocessed once",
      faults: [{ atS: 2, forS: 6, fault: { kind: "link-down", service: "postgres" } }],
      expectFigures: { replayed: 1 },
    },
    {
      name: "Kafka link down 3 s while poison messages are retried",
      faults: [{ atS: 2, forS: 3, fault: { kind: "link-down", service: "kafka" } }],
    },
    {
      name: "consumer killed (SIGKILL) mid-run, restarted",
      faults: [{ atS: 2, forS: 2, fault: { kind: "kill", target: "consumer" } }],
      tier: "full", // CI has the sweep's crash at each failpoint
    },
  ];
}
