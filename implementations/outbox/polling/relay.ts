import pg from "pg";
import { failpoint, log, onStop, ready, workerConfig, workerStats } from "../../../harness/workers/worker-runtime.js";
import { RelayProducer } from "../shared/kafka-producer.js";
import { sleep } from "../../../harness/util/wait.js";

/**
 * The polling publisher: claim a batch of unpublished rows (FOR UPDATE SKIP LOCKED), publish them, mark them
 * (or delete them), commit. A crash after publishing and before the commit republishes the batch: at-least-once.
 * With several instances, each owns a shard of aggregates (hash of the order id), so one order's events are
 * always published by one relay, in id order.
 */
interface Config {
  pg: pg.ClientConfig;
  brokers: string[];
  schema: string;
  topic: string;
  batchSize: number;
  pollIntervalMs: number;
  shard: number;
  shards: number;
  cleanup: "mark" | "delete";
  retentionS: number;
}
const c = workerConfig<Config>();
const stats = workerStats({ polls: 0, queries: 0, published: 0, emptyPolls: 0, errors: 0, retentionDeleted: 0 });
const producer = new RelayProducer(c.brokers, `relay-${c.shard}`);
let db: pg.Client | undefined;
let running = true;
let lastRetention = Date.now();

async function connect(): Promise<pg.Client> {
  if (!db) {
    const client = new pg.Client({ ...c.pg, connectionTimeoutMillis: 3000, query_timeout: 10_000 });
    client.on("error", () => {
      if (db === client) db = undefined;
    });
    await client.connect();
    db = client;
  }
  return db;
}

const shardFilter = c.shards > 1 ? `and abs(hashtext(aggregateid)) % ${c.shards} = ${c.shard}` : "";

async function pollOnce(): Promise<number> {
  const client = await connect();
  await client.query("begin");
  stats.polls++;
  try {
    const { rows } = await client.query<{ id: string; event_id: string; aggregateid: string; payload: unknown }>(
      `select id, event_id, aggregateid, payload from ${c.schema}.dgh_outbox where published_at is null ${shardFilter}
       order by id limit $1 for update skip locked`,
      [c.batchSize],
    );
    stats.queries += 2;
    if (rows.length) {
      await producer.send(
        c.topic,
        rows.map((r) => ({ key: r.aggregateid, value: JSON.stringify(r.payload), headers: { id: r.event_id } })),
      );
      failpoint("after-publish", rows.length);
      const ids = rows.map((r) => r.id);
      await client.query(
        c.cleanup === "delete"
          ? `delete from ${c.schema}.dgh_outbox where id = any($1::bigint[])`
          : `update ${c.schema}.dgh_outbox set published_at = now() where id = any($1::bigint[])`,
        [ids],
      );
      stats.queries++;
    }
    await client.query("commit");
    stats.queries++;
    if (rows.length) failpoint("after-mark", rows.length); // a crash after an empty poll tests nothing
    stats.published += rows.length;
    return rows.length;
  } catch (e) {
    await client.query("rollback").catch(() => {
      db = undefined;
    });
    throw e;
  }
}

async function retention(): Promise<void> {
  if (c.cleanup !== "mark" || c.shard !== 0 || Date.now() - lastRetention < 1000) return;
  lastRetention = Date.now();
  const r = await (await connect()).query(
    `delete from ${c.schema}.dgh_outbox where published_at < now() - make_interval(secs => $1)`,
    [c.retentionS],
  );
  stats.queries++;
  stats.retentionDeleted += r.rowCount ?? 0;
}

onStop(async () => {
  running = false;
  await producer.reset();
  await db?.end().catch(() => {});
});
await producer.get().catch(() => {}); // connect early; a fault at start is retried by the loop
ready();
log(`relay shard ${c.shard}/${c.shards} batch ${c.batchSize} poll ${c.pollIntervalMs}ms cleanup ${c.cleanup}`);
let backoffMs = 50;
while (running) {
  try {
    const n = await pollOnce();
    await retention();
    backoffMs = 50;
    if (n < c.batchSize) {
      if (n === 0) stats.emptyPolls++;
      await sleep(c.pollIntervalMs);
    }
  } catch (e) {
    stats.errors++;
    log(`poll failed, retrying in ${backoffMs} ms: ${(e as Error).message}`);
    await sleep(backoffMs);
    backoffMs = Math.min(2000, backoffMs * 2);
  }
}
