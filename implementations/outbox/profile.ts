import type { ConformanceCase } from "../../harness/run/contracts.js";

/**
 * What every outbox implementation that claims at-least-once delivery must survive, whatever cases it declares:
 * the quiet and the busy ends of the load (code paths only one of them reaches), an outage of Kafka longer than
 * a typical retry budget, and the database restarting under it.
 */
export function outboxProfile(): ConformanceCase[] {
  return [
    {
      // One row per poll, idle polls, lingering batches: loss that only shows when traffic is low.
      name: "quiet: 20 orders/s, no fault",
      workload: { rateOpsPerS: 20 },
      faults: [],
      tier: "full",
    },
    {
      name: "Kafka unreachable for 15 s (longer than a typical retry budget)",
      durationS: 20,
      faults: [{ atS: 2, forS: 15, fault: { kind: "link-down", service: "kafka" } }],
      tier: "full",
    },
    {
      name: "PostgreSQL restarted",
      faults: [{ atS: 3, forS: 0, fault: { kind: "restart", target: "postgres" } }],
    },
  ];
}
