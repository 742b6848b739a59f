import type pg from "pg";
import type { KafkaMessage } from "kafkajs";
import { failpoint, log, onStop, ready, workerConfig, workerStats } from "../../../harness/workers/worker-runtime.js";
import { dlqClients, writeDeadLetter } from "./dlq-worker.js";
import type { Backoff } from "../../../harness/checkers/types.js";
import { applyPayment, parsePayment, PoisonError, waitBefore } from "./dlq-schema.js";
import { type Attempt, attemptsOf, carrying, deadLetter, type Origin, originOf } from "./dead-letter.js";
import { groupSession } from "../../../harness/workers/worker-kafka.js";

/**
 * Non-blocking retries, after Spring for Apache Kafka's `@RetryableTopic`: a message that fails leaves its partition
 * for a retry topic, one topic per wait of the backoff (`<topic>-retry-<n>`; the longest wait's topic is reused for
 * every retry at that wait), and the partition moves on. The retry consumer holds each retry partition until its
 * head is due (as Spring pauses the partition), tries again, and passes it on to the next topic or, with the budget
 * spent, to the DLQ. Throughput is kept, order is not. Failpoints: "after-retry-publish" (sent on, offset not
 * committed), "before-dlq-write", "after-dlq-write".
 */
export interface RetryTopicsConfig {
  pg: pg.ClientConfig;
  brokers: string[];
  topic: string;
  retryTopics: string[];
  dlqTopic: string;
  groupId: string;
  schema: string;
  backoff: Backoff;
}
const c = workerConfig<RetryTopicsConfig>();
const stats = workerStats({
  messages: 0,
  applied: 0,
  appliedAfterRetry: 0, // a transient failure that healed within the budget
  duplicates: 0,
  attempts: 0,
  retries: 0,
  deadLettered: 0,
});
const { pool, kafka } = dlqClients(c, 6);
// Sends from every retry partition at once (an idempotent kafkajs producer allows one request in flight: retries queued).
const producer = kafka.producer();
const consumerOptions = { ...groupSession, maxWaitTimeInMs: 50 };
const main = kafka.consumer({ groupId: c.groupId, ...consumerOptions });
const retries = kafka.consumer({ groupId: `${c.groupId}-retry`, ...consumerOptions });
const dueHeader = "dgh-due-at";

/** One attempt; on failure the message goes on to the topic of its next wait, or to the DLQ. */
async function attempt(m: KafkaMessage, origin: Origin, before: Attempt[]): Promise<void> {
  const atMs = Date.now();
  stats.attempts++;
  try {
    const how = { via: "consumer", offset: origin.offset } as const;
    const applied = await applyPayment(pool, c.schema, parsePayment(m.value), how);
    stats[applied ? "applied" : "duplicates"]++;
    if (before.length) stats.appliedAfterRetry++;
  } catch (e) {
    const error = e as Error;
    const attempts = [...before, { atMs, ms: Date.now() - atMs }];
    const wait = error instanceof PoisonError && error.fatal ? undefined : waitBefore(c.backoff, attempts.length);
    if (wait === undefined) {
      await writeDeadLetter(producer, c.dlqTopic, deadLetter(m, origin, attempts, error), stats);
      return;
    }
    const next = carrying(m, origin, attempts);
    next.headers![dueHeader] = String(Date.now() + wait);
    const topic = c.retryTopics[Math.min(attempts.length, c.retryTopics.length) - 1]!;
    await producer.send({ topic, acks: -1, messages: [next] });
    stats.retries++;
    failpoint("after-retry-publish", 1);
  }
}

await Promise.all([producer.connect(), main.connect(), retries.connect()]);
await main.subscribe({ topic: c.topic, fromBeginning: true });
await retries.subscribe({ topics: c.retryTopics, fromBeginning: true });
await main.run({
  partitionsConsumedConcurrently: 8,
  eachMessage: async ({ topic, partition, message }) => {
    stats.messages++;
    await attempt(message, originOf(message, topic, partition), []);
  },
});
await retries.run({
  partitionsConsumedConcurrently: 32, // a partition waiting for its head to be due holds only itself
  eachMessage: async ({ topic, partition, message, heartbeat }) => {
    const wait = Number(String(message.headers?.[dueHeader] ?? 0)) - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await heartbeat().catch(() => {});
    await attempt(message, originOf(message, topic, partition), attemptsOf(message));
  },
});
onStop(async () => {
  await Promise.all([main.disconnect(), retries.disconnect()]);
  await producer.disconnect();
  await pool.end();
});
ready();
log(`retry-topics consumer in ${c.groupId}: ${c.retryTopics.length} retry topics, then ${c.dlqTopic}`);
