import { resilientPool } from "../../harness/util/pg-pool.js";
import { Kafka, logLevel } from "kafkajs";
import type { Pattern } from "../../harness/run/contracts.js";
import { kafkaBrokers, pgConfig } from "../../harness/env/environment.js";
import { KeyChooser } from "../../harness/workload/rng.js";
import { lost, duplicateDelivery, phantom, perKeyOrder } from "../../harness/checkers/delivery.js";
import { kafkaProduceBaseline, pgCommitBaseline } from "../../harness/metrics/baselines.js";
import { createSchema, schemaFor, topicFor } from "./shared/outbox-schema.js";
import { startObserver } from "./shared/observer.js";

let keys: KeyChooser | undefined;
let fillerCache = "";
function filler(n: number): string {
  if (fillerCache.length !== n) fillerCache = "x".repeat(n);
  return fillerCache;
}

/**
 * Transactional outbox. Each op changes one order (create, then pay/cancel: the seq per order must arrive in
 * order) in one transaction; a downstream consumer records what arrives on the orders topic.
 */
const outbox: Pattern = {
  name: "outbox",
  description:
    "commit an order change and publish its event: no event lost, none for an order never committed, per-order order kept",
  nextOp(i, rng, w) {
    if (!keys || keys.count !== w.keyCount || keys.skew !== w.keySkew) keys = new KeyChooser(w.keyCount, w.keySkew);
    return { f: "order", id: `e${i}`, key: `order-${keys.choose(rng)}`, payload: filler(w.payloadBytes) };
  },
  async setup(ctx) {
    const schema = schemaFor(ctx.runId),
      topic = topicFor(ctx.runId);
    const pool = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 1 });
    try {
      await createSchema(pool, schema);
    } finally {
      await pool.end();
    }
    const admin = new Kafka({ brokers: kafkaBrokers(ctx.env, "direct"), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: Number(ctx.workload.params.partitions ?? 3) }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    return startObserver(ctx, topic, schema);
  },
  checkers: () => [lost(), phantom, duplicateDelivery, perKeyOrder],
  async baselines(ctx, seconds) {
    return [await pgCommitBaseline(ctx, seconds), await kafkaProduceBaseline(ctx, seconds)];
  },
};
export default outbox;
