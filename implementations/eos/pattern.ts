import type { Pattern } from "../../harness/run/contracts.js";
import { eosProfile } from "./profile.js";
import { kafkaBrokers, pgConfig } from "../../harness/env/environment.js";
import { chooseKey } from "../../harness/workload/rng.js";
import { createTopics } from "../../harness/util/kafka-topics.js";
import { abortedRead, duplicateDelivery, duplicateEffect, lost, perKeyOrder } from "../../harness/checkers/delivery.js";
import {
  kafkaConsumeBaseline,
  kafkaProduceBaseline,
  kafkaTransactionBaseline,
} from "../../harness/metrics/baselines.js";
import { resilientPool } from "../../harness/util/pg-pool.js";
import { createSchema, schemaFor, topicsFor } from "./shared/pipeline.js";
import { startObserver } from "./shared/observer.js";

const seqs = new Map<string, number>();

/**
 * Kafka exactly-once: payment requests → processor (consume-transform-produce) → payments-approved → sink into
 * PostgreSQL. Each accepted request must appear once on the output topic as a read_committed reader sees it, in
 * per-customer order, and be applied once by the sink.
 */
const eos: Pattern = {
  name: "eos",
  description:
    "each payment request approved exactly once on the output topic and applied exactly once in the database",
  nextOp(i, rng, w) {
    if (i === 0) seqs.clear();
    const key = `customer-${chooseKey(rng, w)}`;
    const seq = (seqs.get(key) ?? 0) + 1;
    seqs.set(key, seq);
    return { f: "pay", id: `p${i}`, key, value: { amount: rng.int(1, 100), seq } };
  },
  async setup(ctx) {
    const pool = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 1 });
    try {
      await createSchema(pool, schemaFor(ctx.runId));
    } finally {
      await pool.end();
    }
    const topics = topicsFor(ctx.runId);
    await createTopics(
      kafkaBrokers(ctx.env, "direct"),
      [topics.input, topics.output],
      Number(ctx.workload.params.partitions ?? 3),
    );
    return startObserver(ctx, topics.output, schemaFor(ctx.runId));
  },
  checkers: () => [lost("deliveries"), duplicateDelivery, abortedRead, perKeyOrder, lost("effects"), duplicateEffect],
  profile: eosProfile,
  costFigures: { processorCpuMsPerS: "processor CPU ms/s", recordsPerTransaction: "records/transaction" },
  async baselines(ctx, seconds) {
    return [
      await kafkaProduceBaseline(ctx, seconds),
      await kafkaTransactionBaseline(ctx, seconds),
      await kafkaConsumeBaseline(ctx, seconds),
    ];
  },
};
export default eos;
