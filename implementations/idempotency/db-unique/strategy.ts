import type { Strategy } from "../../../harness/run/contracts.js";
import { consumerWorkers, guardPath, startPaymentStrategy, consumerOptions } from "../shared/start-strategy.js";
import guard from "./guard.js";

const dbUnique: Strategy = {
  name: "db-unique",
  description: "A processed_events row with a unique payment id, written in the same transaction as the charge.",
  options: consumerOptions,
  claims: { effects: "exactly-once" },
  workers: consumerWorkers(guard.failpoints),
  conformance: [
    {
      name: "consumer killed after the charge, before the offset commit",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "consumer", failpoint: "after-charge" } }],
    },
    {
      name: "rebalance: a second consumer leaves and rejoins",
      tier: "full", // CI has the profile's leave in the middle of a batch
      options: { consumers: 2 },
      faults: [{ atS: 2, forS: 3, fault: { kind: "kill", target: "consumer-2" } }],
    },
    {
      name: "PostgreSQL slow (150 ms)",
      tier: "full", // CI has the profile's case, with PostgreSQL slow
      faults: [
        {
          atS: 2,
          forS: 3,
          fault: {
            kind: "toxic",
            service: "postgres",
            toxic: { type: "latency", attributes: { latency: 150, jitter: 30 } },
          },
        },
      ],
    },
    {
      name: "Kafka link reset",
      faults: [
        {
          atS: 2,
          forS: 2,
          fault: { kind: "toxic", service: "kafka", toxic: { type: "reset_peer", attributes: { timeout: 100 } } },
        },
      ],
    },
  ],
  start: (ctx) => startPaymentStrategy(ctx, guardPath(import.meta.url)),
};
export default dbUnique;
