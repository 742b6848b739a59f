import { resilientPool } from "../../harness/util/pg-pool.js";
import type { Pattern } from "../../harness/run/contracts.js";
import { kafkaBrokers, pgConfig } from "../../harness/env/environment.js";
import { chooseKey } from "../../harness/workload/rng.js";
import { createTopics } from "../../harness/util/kafka-topics.js";
import { lost, duplicateDelivery, phantom, perKeyOrder } from "../../harness/checkers/delivery.js";
import { kafkaProduceBaseline, pgCommitBaseline } from "../../harness/metrics/baselines.js";
import { createSchema, schemaFor, topicFor } from "./shared/outbox-schema.js";
import { startObserver } from "./shared/observer.js";
import { outboxProfile } from "./profile.js";
import { outboxServiceHost } from "./service-host.js";

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
    return { f: "order", id: `e${i}`, key: `order-${chooseKey(rng, w)}`, payload: filler(w.payloadBytes) };
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
    await createTopics(kafkaBrokers(ctx.env, "direct"), [topic], Number(ctx.workload.params.partitions ?? 3));
    return startObserver(ctx, topic, schema);
  },
  checkers: () => [lost(), phantom, duplicateDelivery, perKeyOrder],
  profile: outboxProfile,
  service: outboxServiceHost,
  costFigures: {
    relayQueriesPerS: "relay queries/s",
    relayCpuMsPerS: "relay CPU ms/s",
    outboxTableKiB: "outbox table KiB",
  },
  async baselines(ctx, seconds) {
    return [await pgCommitBaseline(ctx, seconds), await kafkaProduceBaseline(ctx, seconds)];
  },
};
export default outbox;
