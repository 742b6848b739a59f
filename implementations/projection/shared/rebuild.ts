import type pg from "pg";
import type { Consumer, Kafka } from "kafkajs";
import { failpoint, log } from "../../../harness/workers/worker-runtime.js";
import { inTransaction } from "../../../harness/util/pg-pool.js";
import { sleep } from "../../../harness/util/wait.js";
import { applyBatch } from "./apply.js";
import { createSummaryTable, type OrderEvent, summaryTable } from "./projection-schema.js";
import { groupSession } from "../../../harness/workers/worker-kafka.js";

/** The live projection as a rebuild sees it: where it has applied up to, and a gate that holds its next batch. */
export interface LiveProjection {
  consumer: Consumer;
  /** Next offset per partition the live consumer has applied up to. */
  positions: Map<number, number>;
  busy: boolean;
  /** While set, the live consumer waits before its next batch. */
  gate?: Promise<void>;
  table: string;
}

export interface RebuildContext {
  kafka: Kafka;
  pool: pg.Pool;
  topic: string;
  groupId: string;
  schema: string;
  live: LiveProjection;
  stats: { rebuilds: number; swaps: number; rebuildMs: number; rebuildEvents: number };
}

const until = async (ok: () => boolean) => {
  while (!ok()) await sleep(10);
};

/** Holds the live consumer between two batches while `body` runs. */
async function holdingLive<T>(live: LiveProjection, body: () => Promise<T>): Promise<T> {
  let release = () => {};
  live.gate = new Promise<void>((r) => {
    release = r;
  });
  try {
    await until(() => !live.busy);
    return await body();
  } finally {
    live.gate = undefined;
    release();
  }
}

/**
 * Rebuild and swap: a new generation of the read model is built from the beginning of the stream by a consumer of
 * its own while the live one keeps serving; once it has reached everything the live one applied, the live one is
 * held between two batches, the view readers query is pointed at the new table in one transaction, and the live
 * consumer goes on into it (versioned: what the rebuild already applied is skipped). A crash before the swap
 * leaves the old generation serving; the next rebuild starts over.
 */
export async function rebuildAndSwap(x: RebuildContext): Promise<void> {
  const t0 = performance.now();
  x.stats.rebuilds++;
  const { rows } = await x.pool.query<{ generation: number }>(`select generation from ${x.schema}.read_generation`);
  const next = rows[0]!.generation + 1;
  const table = summaryTable(x.schema, next);
  await x.pool.query(`drop table if exists ${table}`);
  await createSummaryTable(x.pool, x.schema, next);
  const built = new Map<number, number>();
  const rebuilder = x.kafka.consumer({
    groupId: `${x.groupId}-rebuild-${next}-${process.pid}`,
    ...groupSession,
    maxWaitTimeInMs: 20,
  });
  await rebuilder.connect();
  try {
    await rebuilder.subscribe({ topic: x.topic, fromBeginning: true });
    await rebuilder.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (!batch.messages.length) return;
        const events = batch.messages.map((m) => JSON.parse(String(m.value)) as OrderEvent);
        await inTransaction(x.pool, (t) => applyBatch(t, table, events, true));
        x.stats.rebuildEvents += events.length;
        built.set(batch.partition, Number(batch.messages.at(-1)!.offset) + 1);
      },
    });
    const caughtUp = () => [...x.live.positions].every(([p, n]) => (built.get(p) ?? 0) >= n);
    await until(caughtUp);
    await holdingLive(x.live, async () => {
      await until(caughtUp);
      await rebuilder.stop();
      failpoint("before-swap", built.size);
      const old = x.live.table;
      await inTransaction(x.pool, async (t) => {
        await t.query(`create or replace view ${x.schema}.read_summary as select * from ${table}`);
        await t.query(`update ${x.schema}.read_generation set generation = $1`, [next]);
      });
      x.live.table = table;
      await x.pool.query(`drop table ${old}`);
    });
  } finally {
    await rebuilder.disconnect().catch(() => {});
  }
  x.stats.swaps++;
  x.stats.rebuildMs += Math.round(performance.now() - t0);
  log(`rebuilt generation ${next} from the beginning in ${Math.round(performance.now() - t0)} ms, swapped`);
}

/**
 * Rebuild in place (a control): empty the live table and replay the stream into it from the beginning. Readers
 * see their rows vanish and come back through older versions until the replay catches up.
 */
export async function rebuildInPlace(x: RebuildContext): Promise<void> {
  x.stats.rebuilds++;
  await holdingLive(x.live, async () => {
    await x.pool.query(`truncate ${x.live.table}`);
    for (const partition of x.live.positions.keys()) x.live.consumer.seek({ topic: x.topic, partition, offset: "0" });
    x.live.positions.clear();
  });
  log(`emptied ${x.live.table}, replaying from the beginning`);
}
