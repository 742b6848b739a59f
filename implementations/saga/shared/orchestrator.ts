import type pg from "pg";
import { Kafka, logLevel } from "kafkajs";
import { failpoint, log, onStop, ready, workerConfig, workerStats } from "../../../harness/workers/worker-runtime.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { commandFor, type Order, participantOf, type Reply, type SagaTopics } from "./saga-schema.js";
import { isCompensation, nextStep } from "./saga-steps.js";
import { withRetries } from "./with-retries.js";
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
const pool = resilientPool({ ...c.pg, max: 4, connectionTimeoutMillis: 3000, query_timeout: 5000 });
const kafka = new Kafka({
  brokers: c.brokers,
  clientId: c.groupId,
  logLevel: logLevel.NOTHING,
  connectionTimeout: 3000,
  requestTimeout: 10_000,
});
const producer = kafka.producer({ allowAutoTopicCreation: false });
const consumer = kafka.consumer({
  groupId: c.groupId,
  // The broker's minimum: a restarted worker waits out its killed predecessor's session to get partitions.
  sessionTimeout: 6000,
  heartbeatInterval: 1000,
  maxWaitTimeInMs: 50,
});

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
    if (!saga || saga.status !== "running" || saga.step !== reply.type) {
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
await consumer.connect();
await consumer.subscribe({ topic: c.topics.replies, fromBeginning: true });
await consumer.run({
  // Sagas are keyed by id: partitions are independent, so each is worked on at once (one saga stays in order).
  partitionsConsumedConcurrently: 3,
  autoCommit: false,
  eachBatchAutoResolve: false,
  eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
    let next: string | undefined;
    for (const m of batch.messages) {
      if (!isRunning() || isStale()) break;
      stats.replies++;
      const reply = JSON.parse(String(m.value)) as Reply;
      const moved = await withRetries(
        () => advance(reply),
        () => stats.errors++,
      );
      if (!moved) stats.staleReplies++;
      resolveOffset(m.offset);
      next = (BigInt(m.offset) + 1n).toString();
      await heartbeat();
    }
    if (next === undefined) return;
    await consumer
      .commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }])
      .catch((e: Error) => log(`offset commit failed (the replies will come again): ${e.message}`));
  },
});
onStop(async () => {
  await stopRelay();
  await consumer.disconnect();
  await producer.disconnect();
  await pool.end();
});
ready();
log(`orchestrator for ${c.schema}${c.compensate ? "" : " (no compensation)"}`);
