import type { Strategy } from "../../../harness/run/contracts.js";
import { consumerWorkers, guardPath, startPaymentStrategy, consumerOptions } from "../shared/start-strategy.js";
import guard from "./guard.js";

const redisThenDb: Strategy = {
  name: "redis-then-db",
  description:
    "Redis as a fast first filter, the database unique key (same transaction as the charge) as the guarantee.",
  options: consumerOptions,
  claims: { effects: "exactly-once" },
  workers: consumerWorkers(guard.failpoints),
  conformance: [
    {
      name: "consumer killed after the charge, before the offset commit",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "consumer", failpoint: "after-charge" } }],
    },
    {
      name: "Redis restarted without persistence, then a redelivery",
      faults: [
        { atS: 2, forS: 3, fault: { kind: "crash-at", target: "consumer", failpoint: "after-charge" } },
        { atS: 3, forS: 0, fault: { kind: "restart", target: "redis" } },
      ],
    },
    { name: "Redis unreachable", faults: [{ atS: 2, forS: 3, fault: { kind: "link-down", service: "redis" } }] },
  ],
  start: (ctx) => startPaymentStrategy(ctx, guardPath(import.meta.url)),
};
export default redisThenDb;
