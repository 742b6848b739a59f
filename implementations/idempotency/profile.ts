import type { ConformanceCase } from "../../harness/run/contracts.js";

/**
 * What every idempotent consumer that claims exactly-once effects must survive, whatever cases it declares.
 * A guard is not the only place a charge can be lost: the consumer loop around it commits offsets, and a
 * consumer that leaves or is rebalanced part-way through a batch must commit only what it charged. (kafkajs
 * 2.2.4 drops a commit once its consumer stops, runner.js commitOffsets, so a kafkajs consumer that commits the
 * whole batch on leaving gets away with it; a client that sends that commit loses the rest of the batch.)
 */
export function idempotencyProfile(): ConformanceCase[] {
  return [
    {
      // Low rates give one-message batches and idle polls: loss that only shows when the consumer is quiet.
      name: "quiet: 20 payments/s, no fault",
      workload: { rateOpsPerS: 20 },
      faults: [],
      tier: "full",
    },
    {
      // PostgreSQL made slow first, so a batch takes seconds and the leave lands inside one (the consumer counts
      // each batch it cut short: the figure proves the fault reached the spot). 100 ms, not less: consumer-2 gets
      // ~40 requests/s, and at 40 ms per charge it kept up, so its batches held one message and 2 leaves in 5 found
      // none to cut (batchesCutShort 0, same 159 messages read each time); at 100 ms its backlog grows ~30/s.
      name: "a consumer leaves in the middle of a batch (PostgreSQL slow), then rejoins",
      options: { consumers: 2 },
      workload: { rateOpsPerS: 200 },
      faults: [
        {
          atS: 1,
          forS: 6,
          fault: { kind: "toxic", service: "postgres", toxic: { type: "latency", attributes: { latency: 100 } } },
        },
        { atS: 3, forS: 3, fault: { kind: "leave", target: "consumer-2" } },
      ],
      expectFigures: { batchesCutShort: 1 },
    },
  ];
}
