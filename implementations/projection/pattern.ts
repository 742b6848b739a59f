import type { Pattern } from "../../harness/run/contracts.js";
import { kafkaBrokers, pgConfig } from "../../harness/env/environment.js";
import { chooseKey } from "../../harness/workload/rng.js";
import { createTopics } from "../../harness/util/kafka-topics.js";
import { monotonicReads, readModelConvergence } from "../../harness/checkers/read-model.js";
import { kafkaProduceBaseline, pgCommitBaseline } from "../../harness/metrics/baselines.js";
import { resilientPool } from "../../harness/util/pg-pool.js";
import { createSchema, schemaFor, topicFor } from "./shared/projection-schema.js";
import { startObserver } from "./shared/observer.js";
import { projectionProfile } from "./profile.js";

/**
 * CQRS projections: commands commit order events on the write side (PostgreSQL, published through the outbox
 * pattern's polling relay to Kafka, key: the customer); a projector keeps a read model of them, the order summary
 * per customer (orders, total, last status, version). The read model must converge on the fold of the committed
 * events (no event lost, none counted twice, none applied out of order), a reader must never see a row go back,
 * and the read-after-write lag (acknowledged command → visible in the read model) is the run's end-to-end latency.
 * Of the commands, 60% place an order, 25% pay one, 15% cancel one; keys and amounts come from the seed.
 */
const projection: Pattern = {
  name: "projection",
  description:
    "a read model that converges on its write model, never goes back for a reader, counts each event once, with the read-after-write lag measured",
  nextOp(i, rng, w) {
    const key = `customer-${chooseKey(rng, w)}`;
    const r = rng.next();
    const f = r < 0.6 ? "place" : r < 0.85 ? "pay" : "cancel";
    return { f, id: `e${i}`, key, value: { amount: rng.int(1, 100) } };
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
    return startObserver(ctx);
  },
  checkers: () => [readModelConvergence, monotonicReads],
  profile: projectionProfile,
  costFigures: {
    projectorCpuMsPerS: "projector CPU ms/s",
    appliedPerS: "events applied/s",
    skipped: "redeliveries skipped",
    rebuildMs: "rebuild ms",
  },
  async baselines(ctx, seconds) {
    return [await pgCommitBaseline(ctx, seconds), await kafkaProduceBaseline(ctx, seconds)];
  },
};
export default projection;
