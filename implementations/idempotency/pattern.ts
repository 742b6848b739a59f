import type { Pattern } from "../../harness/run/contracts.js";
import { kafkaBrokers, pgConfig } from "../../harness/env/environment.js";
import { chooseKey } from "../../harness/workload/rng.js";
import { createTopics } from "../../harness/util/kafka-topics.js";
import { duplicateEffect, lost } from "../../harness/checkers/delivery.js";
import { balances } from "../../harness/checkers/state.js";
import { kafkaProduceBaseline, pgCommitBaseline, redisSetNxBaseline } from "../../harness/metrics/baselines.js";
import { resilientPool } from "../../harness/util/pg-pool.js";
import { createSchema, schemaFor, topicFor } from "./shared/payments-schema.js";
import { startObserver } from "./shared/observer.js";
import { idempotencyProfile } from "./profile.js";
import { idempotencyServiceHost } from "./service-host.js";

let recent: { id: string; key: string; amount: number }[] = [];

/**
 * Idempotent consumers: payment requests arrive on a topic (some sent twice on purpose, as upstream retries do);
 * consumers charge a ledger. Each accepted payment must be charged exactly once.
 */
const idempotency: Pattern = {
  name: "idempotency",
  description:
    "charge each payment request exactly once although Kafka delivers at least once: no double charge, no lost charge",
  nextOp(i, rng, w) {
    if (i === 0) recent = [];
    const redeliverRate = Number(w.params.redeliverRate ?? 0.05);
    if (recent.length && rng.next() < redeliverRate) {
      const p = rng.pick(recent);
      return { f: "redeliver", id: p.id, key: p.key, value: { amount: p.amount } }; // the same request again: no new delta
    }
    const p = { id: `p${i}`, key: `customer-${chooseKey(rng, w)}`, amount: rng.int(1, 100) };
    recent.push(p);
    if (recent.length > 200) recent.shift();
    return { f: "pay", id: p.id, key: p.key, value: { amount: p.amount, delta: p.amount } };
  },
  async setup(ctx) {
    const pool = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 1 });
    try {
      await createSchema(pool, schemaFor(ctx.runId));
    } finally {
      await pool.end();
    }
    await createTopics(
      kafkaBrokers(ctx.env, "direct"),
      [topicFor(ctx.runId)],
      Number(ctx.workload.params.partitions ?? 3),
    );
    return startObserver(ctx, schemaFor(ctx.runId));
  },
  checkers: () => [duplicateEffect, lost("effects"), balances("invariant-violation")],
  profile: idempotencyProfile,
  service: idempotencyServiceHost,
  costFigures: {
    consumerCpuMsPerS: "consumer CPU ms/s",
    redisBytesPerKey: "Redis bytes/key",
    redisMiBPerMillion: "Redis MiB per million keys",
    processedEventsMiBPerMillion: "DB MiB per million keys",
  },
  async baselines(ctx, seconds) {
    return [
      await redisSetNxBaseline(ctx, seconds),
      await pgCommitBaseline(ctx, seconds),
      await kafkaProduceBaseline(ctx, seconds),
    ];
  },
};
export default idempotency;
