import type { Strategy } from "../../../harness/run/contracts.js";
import { consumerWorkers, guardPath, startPaymentStrategy, consumerOptions } from "../shared/start-strategy.js";
import guard from "./guard.js";

const redisSetNx: Strategy = {
  name: "redis-setnx",
  description: "SET key NX PX ttl in Redis before the charge. Exactly-once only while Redis keeps its keys.",
  options: consumerOptions,
  claims: { effects: "exactly-once" },
  workers: consumerWorkers(guard.failpoints),
  conformance: [
    {
      name: "consumer killed after the charge, before the offset commit",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "consumer", failpoint: "after-charge" } }],
    },
    // A graceful leave: a SIGKILLed consumer may die between SET NX and the charge, the "lost" case below.
    {
      name: "rebalance: a second consumer leaves and rejoins",
      tier: "full", // CI has the profile's leave in the middle of a batch
      options: { consumers: 2 },
      faults: [{ atS: 2, forS: 3, fault: { kind: "leave", target: "consumer-2" } }],
    },
    // Outside the claim: it must break, and the report must say how.
    {
      name: "Redis restarted without persistence, then a redelivery",
      expectAnomalies: ["duplicate-effect"],
      faults: [
        { atS: 2, forS: 3, fault: { kind: "crash-at", target: "consumer", failpoint: "after-charge" } },
        { atS: 3, forS: 0, fault: { kind: "restart", target: "redis" } },
      ],
    },
    {
      name: "key expired before a late redelivery",
      expectAnomalies: ["duplicate-effect"],
      options: { ttlMs: 300 },
      faults: [{ atS: 2, forS: 3, fault: { kind: "crash-at", target: "consumer", failpoint: "after-charge" } }],
    },
    {
      name: "consumer killed between SET NX and the charge",
      expectAnomalies: ["lost"],
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "consumer", failpoint: "after-setnx" } }],
    },
  ],
  start: (ctx) => startPaymentStrategy(ctx, guardPath(import.meta.url)),
};
export default redisSetNx;
