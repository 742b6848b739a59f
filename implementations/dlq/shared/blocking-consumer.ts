import type pg from "pg";
import type { KafkaMessage } from "kafkajs";
import { log, onStop, ready, workerConfig, workerStats } from "../../../harness/workers/worker-runtime.js";
import { dlqClients, writeDeadLetter } from "./dlq-worker.js";
import type { Backoff } from "../../../harness/checkers/types.js";
import { applyPayment, parsePayment, PoisonError, waitBefore } from "./dlq-schema.js";
import { type Attempt, deadLetter, originOf } from "./dead-letter.js";
import { groupSession } from "../../../harness/workers/worker-kafka.js";

/**
 * A consumer that retries in place: a message that fails is tried again after each wait of the backoff while its
 * partition waits behind it (order kept, head-of-line blocking), then dead-lettered, then its offset committed.
 * The controls are this consumer with one decision changed: drop instead of dead-lettering, commit before the DLQ
 * write, retry forever, retry at once. Failpoints: "before-dlq-write" (retries spent, the dead letter not yet
 * written) and "after-dlq-write" (written, the offset not yet committed: the message comes back and is
 * dead-lettered again, which the reprocessor must absorb).
 */
export interface BlockingConfig {
  pg: pg.ClientConfig;
  brokers: string[];
  topic: string;
  dlqTopic: string;
  groupId: string;
  schema: string;
  backoff: Backoff;
  /** "backoff": the declared schedule; "forever": never give up; "immediate": 3 attempts, no wait; "none": 1 attempt. */
  retry: "backoff" | "forever" | "immediate" | "none";
  onGiveUp: "dead-letter" | "drop";
  commitBeforeDeadLetter: boolean;
}
const c = workerConfig<BlockingConfig>();
const stats = workerStats({
  messages: 0,
  applied: 0,
  /** Applied after at least one failed attempt: a transient failure that healed within the budget. */
  appliedAfterRetry: 0,
  duplicates: 0,
  attempts: 0,
  retries: 0,
  deadLettered: 0,
  dropped: 0,
  longestHoldMs: 0,
});
const { pool, kafka } = dlqClients(c, 4);
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
const consumer = kafka.consumer({
  groupId: c.groupId,
  ...groupSession, // a message's retries hold the loop for at most the 1.5 s budget, well inside the session
  maxWaitTimeInMs: 50,
});

/** The wait before retry n (1-based), or undefined: give up. */
function waitBeforeRetry(n: number): number | undefined {
  const b = c.backoff;
  switch (c.retry) {
    case "backoff":
      return waitBefore(b, n);
    case "forever":
      return Math.min(b.initialMs * b.multiplier ** (n - 1), b.maxIntervalMs);
    case "immediate":
      return n < 3 ? 0 : undefined;
    case "none":
      return undefined;
  }
}

const commit = (topic: string, partition: number, m: KafkaMessage) =>
  consumer.commitOffsets([{ topic, partition, offset: (BigInt(m.offset) + 1n).toString() }]);

async function giveUp(m: KafkaMessage, partition: number, attempts: Attempt[], error: Error): Promise<void> {
  if (c.onGiveUp === "drop") {
    stats.dropped++;
    log(`dropped ${m.offset} after ${attempts.length} attempt(s): ${error.message}`);
    return;
  }
  if (c.commitBeforeDeadLetter) await commit(c.topic, partition, m);
  await writeDeadLetter(producer, c.dlqTopic, deadLetter(m, originOf(m, c.topic, partition), attempts, error), stats);
}

/** Tries one message until it is applied or given up; "interrupted" when the consumer is leaving mid-retries. */
async function handle(m: KafkaMessage, partition: number, live: () => boolean, heartbeat: () => Promise<void>) {
  const attempts: Attempt[] = [];
  for (;;) {
    const atMs = Date.now();
    stats.attempts++;
    try {
      const how = { via: "consumer", offset: m.offset } as const;
      const applied = await applyPayment(pool, c.schema, parsePayment(m.value), how);
      stats[applied ? "applied" : "duplicates"]++;
      if (attempts.length) stats.appliedAfterRetry++;
      return "done";
    } catch (e) {
      const error = e as Error;
      attempts.push({ atMs, ms: Date.now() - atMs });
      const wait = error instanceof PoisonError && error.fatal ? undefined : waitBeforeRetry(attempts.length);
      if (wait === undefined) {
        await giveUp(m, partition, attempts, error);
        return "done";
      }
      stats.retries++;
      await new Promise((r) => setTimeout(r, wait));
      await heartbeat().catch(() => {});
      if (!live()) return "interrupted";
    }
  }
}

await Promise.all([producer.connect(), consumer.connect()]);
await consumer.subscribe({ topic: c.topic, fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachBatchAutoResolve: false,
  partitionsConsumedConcurrently: 8, // a message retried holds its own partition only
  eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
    const live = () => isRunning() && !isStale();
    for (const m of batch.messages) {
      if (!live()) break;
      stats.messages++;
      const t0 = Date.now();
      if ((await handle(m, batch.partition, live, heartbeat)) === "interrupted") break;
      stats.longestHoldMs = Math.max(stats.longestHoldMs, Date.now() - t0);
      await commit(batch.topic, batch.partition, m);
      resolveOffset(m.offset); // where the next fetch starts: without it kafkajs fetches this batch again
    }
  },
});
onStop(async () => {
  await consumer.disconnect();
  await producer.disconnect();
  await pool.end();
});
ready();
log(`blocking consumer in ${c.groupId}: retry ${c.retry}, then ${c.onGiveUp}`);
