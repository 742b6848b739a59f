import type pg from "pg";
import type { Consumer } from "kafkajs";
import { log } from "../../../harness/workers/worker-runtime.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { groupSession, workerKafka } from "../../../harness/workers/worker-kafka.js";

/** The clients every saga worker has: its PostgreSQL pool, a producer and a consumer in its group. */
export function sagaClients(c: { pg: pg.ClientConfig; brokers: string[]; groupId: string }) {
  const kafka = workerKafka(c.brokers, c.groupId);
  return {
    pool: resilientPool({ ...c.pg, max: 4, connectionTimeoutMillis: 3000, query_timeout: 5000 }),
    producer: kafka.producer({ allowAutoTopicCreation: false }),
    consumer: kafka.consumer({
      groupId: c.groupId,
      ...groupSession,
      maxWaitTimeInMs: 50,
    }),
  };
}

/**
 * Consumes `topics`, handing each message to `handle` in order, and commits only the offsets after messages it
 * finished: a worker that leaves or is rebalanced mid-batch leaves the rest to the next owner, and a crash in
 * `handle` gets the message again. Sagas are keyed by id, so partitions are worked on at once.
 */
export async function consumeInOrder(
  consumer: Consumer,
  topics: string[],
  handle: (value: string) => Promise<void>,
): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      let next: string | undefined;
      for (const m of batch.messages) {
        if (!isRunning() || isStale()) break;
        await handle(String(m.value));
        resolveOffset(m.offset);
        next = (BigInt(m.offset) + 1n).toString();
        await heartbeat();
      }
      if (next === undefined) return;
      await consumer
        .commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }])
        .catch((e: Error) => log(`offset commit failed (those messages will come again): ${e.message}`));
    },
  });
}
