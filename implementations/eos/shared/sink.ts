import type pg from "pg";
import { failpoint, log, onStop, ready, workerConfig, workerStats } from "../../../harness/workers/worker-runtime.js";
import { inTransaction, resilientPool } from "../../../harness/util/pg-pool.js";
import { sleep } from "../../../harness/util/wait.js";
import { kafkaClient, type ClientName } from "./kafka-client.js";
import { apply, type PaymentApproved } from "./pipeline.js";

/**
 * The sink: reads payments-approved (read_committed) and applies each approval to PostgreSQL.
 *
 * mode "kafka-offsets": commit the database transaction, then the Kafka offsets. A crash in between
 * ("after-apply") applies the batch again: exactly-once inside Kafka is not exactly-once into a database.
 *
 * mode "offsets-in-db": the next offset of the partition is written in the same database transaction as the
 * effects, and a partition resumes from it (never from Kafka's committed offsets): effects exactly-once.
 */
interface Config {
  client: ClientName;
  brokers: string[];
  topic: string;
  groupId: string;
  mode: "kafka-offsets" | "offsets-in-db";
  pg: pg.ClientConfig;
  schema: string;
  batchRecords: number;
}
const c = workerConfig<Config>();
const inDb = c.mode === "offsets-in-db";
const stats = workerStats({
  consumed: 0,
  applied: 0,
  skippedBelowDbOffset: 0,
  dbTransactions: 0,
  errors: 0,
  consumerRebuilds: 0,
});
const pool = resilientPool({ ...c.pg, max: 2, connectionTimeoutMillis: 3000, query_timeout: 5000 });
const client = kafkaClient(c.client, c.brokers, `${c.groupId}-sink`);
/** offsets-in-db: the next offset per partition, read from the database when the partition is first seen. */
const next = new Map<number, bigint>();
const consumer = client.consumer({
  groupId: c.groupId,
  // Behind: more than a commit marker between where the sink is and the partition's last stable offset.
  behind: async (partitions) => {
    const ends = await client.ends(c.topic, true);
    const kafkaCommitted = inDb ? undefined : await client.committed(c.groupId, c.topic);
    for (const p of partitions) {
      const at = inDb ? (next.get(p) ?? (await nextFromDb(p))) : BigInt(kafkaCommitted!.get(p) ?? "0");
      if ((ends.get(p) ?? 0n) - (at < 0n ? 0n : at) > 1n) return true;
    }
    return false;
  },
  onRebuild: () => stats.consumerRebuilds++,
});

async function nextFromDb(partition: number): Promise<bigint> {
  const { rows } = await pool.query<{ next_offset: string }>(
    `select next_offset from ${c.schema}.sink_offsets where topic = $1 and partition = $2`,
    [c.topic, partition],
  );
  return rows[0] ? BigInt(rows[0].next_offset) : 0n;
}

await consumer.connect();
await consumer.subscribe(c.topic);
await consumer.run(async ({ batch, resolveOffset, isRunning, isStale }) => {
  const { partition } = batch;
  let messages = batch.messages;
  let at = batch.messages[0]!.offset; // where to read again after a failure: the first record not yet applied
  try {
    if (inDb) {
      if (!next.has(partition)) {
        next.set(partition, await nextFromDb(partition));
        if (BigInt(messages[0]!.offset) < next.get(partition)!) {
          consumer.seek({ topic: c.topic, partition, offset: next.get(partition)!.toString() });
          return;
        }
      }
      const from = next.get(partition)!;
      const before = messages.length;
      messages = messages.filter((m) => BigInt(m.offset) >= from);
      stats.skippedBelowDbOffset += before - messages.length;
      if (!messages.length) {
        resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
        return;
      }
    }
    for (let i = 0; i < messages.length; i += c.batchRecords) {
      if (!isRunning() || isStale()) return;
      const chunk = messages.slice(i, i + c.batchRecords);
      at = chunk[0]!.offset;
      const after = (BigInt(chunk[chunk.length - 1]!.offset) + 1n).toString();
      stats.consumed += chunk.length;
      await inTransaction(pool, async (db) => {
        for (const m of chunk)
          await apply(db, c.schema, JSON.parse(String(m.value)) as PaymentApproved, `${partition}@${m.offset}`);
        if (inDb) {
          await db.query(
            `insert into ${c.schema}.sink_offsets (topic, partition, next_offset) values ($1, $2, $3)
            on conflict (topic, partition) do update set next_offset = excluded.next_offset`,
            [c.topic, partition, after],
          );
        }
      });
      stats.applied += chunk.length;
      stats.dbTransactions++;
      if (inDb) next.set(partition, BigInt(after));
      failpoint("after-apply", chunk.length);
      if (!inDb) await consumer.commitOffsets([{ topic: c.topic, partition, offset: after }]);
      resolveOffset(chunk[chunk.length - 1]!.offset);
    }
  } catch (e) {
    stats.errors++;
    log(`partition ${partition}: ${(e as Error).message}; reading it again from ${at}`);
    next.delete(partition);
    consumer.seek({ topic: c.topic, partition, offset: at });
    await sleep(200);
  }
});
onStop(async () => {
  await consumer.disconnect();
  await client.close();
  await pool.end();
});
ready();
log(`sink (${c.client}, ${c.mode}) in group ${c.groupId}`);
