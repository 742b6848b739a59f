import type { Pattern } from "../../harness/run/contracts.js";
import { kafkaBrokers, pgConfig } from "../../harness/env/environment.js";
import { chooseKey } from "../../harness/workload/rng.js";
import { createTopics } from "../../harness/util/kafka-topics.js";
import { perKeyOrder } from "../../harness/checkers/delivery.js";
import { backoffSchedule, deadLetterOutcomes, partitionProgress } from "../../harness/checkers/dead-letters.js";
import { kafkaProduceBaseline, pgCommitBaseline } from "../../harness/metrics/baselines.js";
import { resilientPool } from "../../harness/util/pg-pool.js";
import { createSchema, dlqTopicFor, schemaFor, topicFor } from "./shared/dlq-schema.js";
import { startObserver } from "./shared/observer.js";
import { dlqProfile } from "./profile.js";

/**
 * Retries and dead-letter queues: a consumer applies payments to PostgreSQL; some messages are poison (a payload
 * that is not JSON: never retried; a negative amount: fails every retry) and some meet a dependency that is down
 * for a while (the faults). Every message must end applied or dead-lettered, exactly one of them; retries keep the
 * declared backoff; a dead letter says where it came from; the reprocessor applies the dead letters whose cause
 * has passed, once. Poison messages come at a fixed spacing (`poisonRate` 0.01: every 100th, alternately
 * malformed and breaking the rule) so every run and every partition meets them; keys and amounts come from the seed.
 */
const dlq: Pattern = {
  name: "dlq",
  description:
    "every payment applied or dead-lettered, exactly one of them; retries keep the declared backoff; a dead letter says where it came from and is reprocessed once",
  nextOp(i, rng, w) {
    const rate = Number(w.params.poisonRate ?? 0.01);
    const every = rate > 0 ? Math.max(2, Math.round(1 / rate)) : 0;
    const key = `customer-${chooseKey(rng, w)}`;
    const amount = rng.int(1, 100);
    if (every && i % every === every - 1) {
      const poison = Math.floor(i / every) % 2 === 0 ? "malformed" : "rule";
      return { f: "poison", id: `m${i}`, key, value: { amount, poison } };
    }
    return { f: "pay", id: `m${i}`, key, value: { amount } };
  },
  async setup(ctx) {
    const pool = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 1 });
    try {
      await createSchema(pool, schemaFor(ctx.runId));
    } finally {
      await pool.end();
    }
    // The DLQ has the payments' partitions: a dead letter keeps its partition, as Spring's recoverer does.
    await createTopics(
      kafkaBrokers(ctx.env, "direct"),
      [topicFor(ctx.runId), dlqTopicFor(ctx.runId)],
      Number(ctx.workload.params.partitions ?? 3),
    );
    return startObserver(ctx);
  },
  // A poison message blocks a blocking consumer's partition for the whole budget: 100/s keeps one ahead.
  workload: { rateOpsPerS: 100 },
  // A failpoint on the way to the DLQ is reached only by a message given up on: one a second when quiet, too.
  quietWorkload: { rateOpsPerS: 10, params: { poisonRate: 0.1 } },
  checkers: () => [deadLetterOutcomes, backoffSchedule, partitionProgress, perKeyOrder],
  profile: dlqProfile,
  costFigures: {
    attemptsPerMessage: "attempts/message",
    longestHoldMs: "longest partition hold ms",
    consumerCpuMsPerS: "consumer CPU ms/s",
    deadLettered: "dead letters written",
    replayed: "dead letters replayed",
  },
  async baselines(ctx, seconds) {
    return [await pgCommitBaseline(ctx, seconds), await kafkaProduceBaseline(ctx, seconds)];
  },
};
export default dlq;
