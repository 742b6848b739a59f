import type pg from "pg";
import type { Message, Producer } from "kafkajs";
import { failpoint } from "../../../harness/workers/worker-runtime.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { workerKafka } from "../../../harness/workers/worker-kafka.js";

/** The clients of a dlq consumer worker: a pool on its dependency and a Kafka client, both with short timeouts. */
export function dlqClients(c: { pg: pg.ClientConfig; brokers: string[]; groupId: string }, poolMax: number) {
  return {
    pool: resilientPool({ ...c.pg, max: poolMax, connectionTimeoutMillis: 1000, query_timeout: 2000 }),
    kafka: workerKafka(c.brokers, `${c.groupId}-consumer`),
  };
}

/** The way to the DLQ every consumer shares (acks=all), between its two failpoints. */
export async function writeDeadLetter(
  producer: Producer,
  topic: string,
  letter: Message,
  stats: { deadLettered: number },
): Promise<void> {
  failpoint("before-dlq-write", 1);
  await producer.send({ topic, acks: -1, messages: [letter] });
  stats.deadLettered++;
  failpoint("after-dlq-write", 1);
}
