import type pg from "pg";
import { Kafka, logLevel } from "kafkajs";
import { log, onStop, ready, workerConfig, workerStats } from "../../../harness/workers/worker-runtime.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import type { Backoff } from "../../../harness/checkers/types.js";
import { applyPayment, parsePayment, PoisonError } from "./dlq-schema.js";
import { readDeadLetter } from "./dead-letter.js";

/**
 * DLQ reprocessing: reads the dead letters and applies the ones whose cause was passing (a dependency that was
 * down longer than the retry budget) once it is back, through the same once-only guard as the consumer, so a dead
 * letter written twice, or replayed after a crash, applies once. A poison message fails again and is parked on the
 * DLQ, where it stays for a person to look at. Waits the backoff's longest wait between tries of one dead letter.
 */
interface Config {
  pg: pg.ClientConfig;
  brokers: string[];
  dlqTopic: string;
  groupId: string;
  schema: string;
  backoff: Backoff;
}
const c = workerConfig<Config>();
const stats = workerStats({ deadLetters: 0, replayed: 0, alreadyApplied: 0, parked: 0, replayAttempts: 0 });
const pool = resilientPool({ ...c.pg, max: 2, connectionTimeoutMillis: 1000, query_timeout: 2000 });
const kafka = new Kafka({ brokers: c.brokers, clientId: `${c.groupId}`, logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: c.groupId, sessionTimeout: 10_000, maxWaitTimeInMs: 100 });
await consumer.connect();
await consumer.subscribe({ topic: c.dlqTopic, fromBeginning: true });
await consumer.run({
  partitionsConsumedConcurrently: 8,
  eachMessage: async ({ message, heartbeat }) => {
    stats.deadLetters++;
    const d = readDeadLetter(message);
    for (;;) {
      stats.replayAttempts++;
      try {
        const how = { via: "reprocess", offset: d.offset ?? "-1" } as const;
        const applied = await applyPayment(pool, c.schema, parsePayment(message.value), how);
        stats[applied ? "replayed" : "alreadyApplied"]++;
        return;
      } catch (e) {
        if (e instanceof PoisonError) {
          stats.parked++;
          return;
        }
        log(`dead letter ${d.id} not applied yet (${(e as Error).message}); trying again`);
        await new Promise((r) => setTimeout(r, c.backoff.maxIntervalMs));
        await heartbeat().catch(() => {});
      }
    }
  },
});
onStop(async () => {
  await consumer.disconnect();
  await pool.end();
});
ready();
log(`reprocessor in ${c.groupId} reading ${c.dlqTopic}`);
