import type pg from "pg";
import { failpoint, log, onStop, ready, workerConfig, workerStats } from "../../../harness/workers/worker-runtime.js";
import { commandFor, type Order, participantOf, type Reply, type SagaTopics } from "./saga-schema.js";
import { isCompensation, nextStep } from "./saga-steps.js";
import { withRetries } from "./with-retries.js";
import { consumeInOrder, sagaClients } from "./saga-kafka.js";
import { startOutboxRelay } from "./outbox-relay.js";

/**
 * The orchestrator whose saga state lives in PostgreSQL (orchestration-db): each reply moves its saga one step in
 * a transaction that also writes the next command to the outbox, and a relay loop publishes the outbox. Killed
 * anywhere, it resumes from the table: a reply seen twice finds its saga already past that step and is ignored;
 * a command published twice meets the participant's guard. One in `redeliverEvery` commands is published twice
 * on purpose. `compensate: false` is the no-compensation control.
 */
interface Config {
  pg: pg.ClientConfig;
  brokers: string[];
  topics: SagaTopics;
  groupId: string;
  schema: string;
  compensate: boolean;
  redeliverEvery: number;
}
const c = workerConfig<Config>();
const stats = workerStats({
  replies: 0,
  staleReplies: 0,
  steps: 0,
  published: 0,
  redelivered: 0,
  relayQueries: 0,
  errors: 0,
});
const { pool, producer, consumer } = sagaClients(c);

/** Moves the reply's saga one step, with the next command in the outbox; false when the reply is stale. */
async function advance(reply: Reply): Promise<boolean> {
  const db = await pool.connect();
  try {
    await db.query("begin");
    const { rows } = await db.query<Order & { step: string; status: string }>(
      `select id, customer, sku, qty, amount, card, plan, step, status from ${c.schema}.dgh_orders where id = $1 for update`,
      [reply.sagaId],
    );
    const saga = rows[0];
    if (saga?.status !== "running" || saga.step !== reply.type) {
      await db.query("rollback");
      return false;
    }
    const next = nextStep(saga, reply, c.compensate);
    if (next.status === "running") {
      const command = commandFor(saga, next.step);
      await db.query(`update ${c.schema}.dgh_orders set step = $2 where id = $1`, [saga.id, next.step]);
      await db.query(`insert into ${c.schema}.dgh_saga_outbox (topic, saga_id, message) values ($1, $2, $3)`, [
        c.topics[participantOf(next.step)],
        saga.id,
        command,
      ]);
    } else
      await db.query(
        `update ${c.schema}.dgh_orders set step = 'done', status = $2, ended_at = clock_timestamp() where id = $1`,
        [saga.id, next.status],
      );
    await db.query("commit");
    stats.steps++;
    // Committed, the reply's offset not yet: a crash here gets the reply again, which must be ignored.
    failpoint(next.status === "running" && isCompensation(next.step) ? "mid-compensation" : "after-step", 1);
    return true;
  } catch (e) {
    await db.query("rollback").catch(() => {});
    throw e;
  } finally {
    db.release();
  }
}

await producer.connect();
const stopRelay = startOutboxRelay({ pool, schema: c.schema, producer, redeliverEvery: c.redeliverEvery, stats });
await consumeInOrder(consumer, [c.topics.replies], async (value) => {
  stats.replies++;
  const reply = JSON.parse(value) as Reply;
  const moved = await withRetries(
    () => advance(reply),
    () => stats.errors++,
  );
  if (!moved) stats.staleReplies++;
});
onStop(async () => {
  await stopRelay();
  await consumer.disconnect();
  await producer.disconnect();
  await pool.end();
});
ready();
log(`orchestrator for ${c.schema}${c.compensate ? "" : " (no compensation)"}`);
