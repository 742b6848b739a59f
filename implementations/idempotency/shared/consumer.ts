import type pg from "pg";
import { Redis } from "ioredis";
import { failpoint, log, onStop, ready, workerConfig, workerStats } from "../../../harness/workers/worker-runtime.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { charge, type PaymentRequest } from "./payments-schema.js";
import type { Guard, GuardContext } from "./guard.js";
import { groupSession, workerKafka } from "../../../harness/workers/worker-kafka.js";

/**
 * The payment consumer every idempotency strategy runs: consume a batch, for each request let the strategy's
 * guard decide and charge, then commit the offsets. A crash after charging and before the offset commit
 * (failpoint "after-charge") makes Kafka deliver those requests again: the guard is all that stands between
 * that and a double charge.
 */
interface Config {
  pg: pg.ClientConfig;
  redisUrl: string;
  brokers: string[];
  topic: string;
  groupId: string;
  schema: string;
  prefix: string;
  ttlMs: number;
  guardModule: string;
}
const c = workerConfig<Config>();
const guard = ((await import(c.guardModule)) as { default: Guard }).default;
const stats = workerStats({ messages: 0, charged: 0, duplicatesSkipped: 0, errors: 0, batches: 0, batchesCutShort: 0 });
const pool = resilientPool({ ...c.pg, max: 4, connectionTimeoutMillis: 3000, query_timeout: 5000 });
const redis = new Redis(c.redisUrl, {
  maxRetriesPerRequest: 2,
  commandTimeout: 2000,
  connectTimeout: 2000,
  lazyConnect: true,
});
redis.on("error", () => {});
const ctx: GuardContext = { pool, redis, schema: c.schema, prefix: c.prefix, ttlMs: c.ttlMs, failpoint };

const kafka = workerKafka(c.brokers, `${c.groupId}-consumer`);
const consumer = kafka.consumer({
  groupId: c.groupId,
  ...groupSession, // it heartbeats after each charge, so a slow batch does not lose it
  rebalanceTimeout: 10_000,
  maxWaitTimeInMs: 50,
});
await redis.connect().catch(() => {});
await consumer.connect();
await consumer.subscribe({ topic: c.topic, fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachBatchAutoResolve: false,
  eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
    stats.batches++;
    // The offset after the last message charged: only that far is committed, never past what was skipped.
    let next: string | undefined;
    for (const m of batch.messages) {
      if (!isRunning() || isStale()) {
        // Leaving or rebalanced mid-batch: the rest belongs to whoever takes the partition over.
        stats.batchesCutShort++;
        break;
      }
      const p = JSON.parse(String(m.value)) as PaymentRequest;
      stats.messages++;
      // Operating errors (a slow or unreachable database or Redis) are retried a few times, then the batch fails
      // and kafkajs redelivers it: at-least-once, like every real consumer.
      let outcome: "charged" | "duplicate" | undefined;
      for (let attempt = 0; outcome === undefined; attempt++) {
        try {
          outcome = await guard.process(ctx, p, (client) => charge(client, c.schema, p));
        } catch (e) {
          stats.errors++;
          if (attempt >= 5) throw e;
          await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        }
      }
      if (outcome === "charged") stats.charged++;
      else stats.duplicatesSkipped++;
      failpoint("after-charge", 1); // one request charged, its offset not committed
      resolveOffset(m.offset);
      next = (BigInt(m.offset) + 1n).toString();
      await heartbeat();
    }
    if (next === undefined) return;
    await consumer
      .commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }])
      .catch((e: Error) => log(`offset commit failed (the batch will be redelivered): ${e.message}`));
  },
});
onStop(async () => {
  await consumer.disconnect();
  redis.disconnect();
  await pool.end();
});
ready();
log(`consumer in group ${c.groupId} with guard ${c.guardModule.split("/").slice(-2, -1)[0]}`);
