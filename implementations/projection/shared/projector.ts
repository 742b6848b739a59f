import type pg from "pg";
import type { KafkaMessage } from "kafkajs";
import { failpoint, log, onStop, ready, workerConfig, workerStats } from "../../../harness/workers/worker-runtime.js";
import { inTransaction, resilientPool } from "../../../harness/util/pg-pool.js";
import { applyBatch, applyCheckpointed, applyUnlocked, readCheckpoint, writeCheckpoint } from "./apply.js";
import { type OrderEvent, summaryTable } from "./projection-schema.js";
import { type LiveProjection, rebuildAndSwap, rebuildInPlace } from "./rebuild.js";
import { groupSession, workerKafka } from "../../../harness/workers/worker-kafka.js";

/**
 * The projection worker: consumes the order events (key: customer) and keeps the order summary per customer.
 * How it records its place and guards against redelivery is the strategy (`mode`):
 *   versioned         rows carry the version of their last event; an older or repeated event is skipped
 *   per-event         versioned, one transaction per event (a handler per event, as many projectors are)
 *   checkpoint-in-tx  the stream position per partition is written in the same transaction as the rows (versioned
 *                     too: the log can hold an event twice, which no position tells apart)
 *   checkpoint-only   checkpoint-in-tx without the versions (a control: an event published twice counts twice)
 *   blind             every event delivered is applied (a control: a redelivery counts twice)
 *   checkpoint-after  the position is written in a transaction of its own after the rows' (a control)
 *   parallel          a batch's events are handed to a pool, each read-modify-written on its own (a control)
 * Kafka offsets are committed after each batch in every mode (for the checkpoint modes only a hint: on joining
 * the group they seek to their own positions, and skip what those say is done). `rebuild` rebuilds the read model
 * from the beginning of the stream `rebuildAtS` after start: beside the live one, then swapped in, or in place.
 * Failpoint "after-apply": the batch is applied, its position not yet committed; "before-swap": a rebuild caught
 * up, the view not yet swapped.
 */
export interface ProjectorConfig {
  pg: pg.ClientConfig;
  brokers: string[];
  schema: string;
  topic: string;
  groupId: string;
  mode: "versioned" | "per-event" | "checkpoint-in-tx" | "checkpoint-only" | "blind" | "checkpoint-after" | "parallel";
  rebuild?: { atS: number; how: "swap" | "in-place" };
}
const c = workerConfig<ProjectorConfig>();
const stats = workerStats({
  batches: 0,
  events: 0,
  applied: 0,
  skipped: 0,
  rebuilds: 0,
  swaps: 0,
  rebuildMs: 0,
  rebuildEvents: 0,
});
const pool = resilientPool({
  ...c.pg,
  max: c.mode === "parallel" ? 8 : 2,
  connectionTimeoutMillis: 1000,
  query_timeout: 5000,
});
const kafka = workerKafka(c.brokers, `${c.groupId}-projector`);
const consumer = kafka.consumer({ groupId: c.groupId, ...groupSession, maxWaitTimeInMs: 20 });
const checkpointed = c.mode === "checkpoint-in-tx" || c.mode === "checkpoint-only" || c.mode === "checkpoint-after";

/** The live projection: its table (a swap moves it to the rebuilt generation) and how far it has applied. */
const live: LiveProjection = {
  consumer,
  positions: new Map(),
  busy: false,
  table: summaryTable(c.schema, await currentGeneration()),
};

async function currentGeneration(): Promise<number> {
  const { rows } = await pool.query<{ generation: number }>(`select generation from ${c.schema}.read_generation`);
  return rows[0]!.generation;
}

const parse = (m: KafkaMessage): OrderEvent & { offset: number } => ({
  ...(JSON.parse(String(m.value)) as OrderEvent),
  offset: Number(m.offset),
});

/** Applies one partition's batch as the mode says; returns how many of its events were applied. */
async function apply(partition: number, events: (OrderEvent & { offset: number })[], next: number): Promise<number> {
  switch (c.mode) {
    case "versioned":
    case "blind":
      return (await inTransaction(pool, (t) => applyBatch(t, live.table, events, c.mode === "versioned"))).applied;
    case "per-event": {
      let applied = 0;
      for (const e of events)
        applied += (await inTransaction(pool, (t) => applyBatch(t, live.table, [e], true))).applied;
      return applied;
    }
    case "checkpoint-in-tx":
    case "checkpoint-only": {
      const versioned = c.mode === "checkpoint-in-tx";
      const r = await inTransaction(pool, (t) =>
        applyCheckpointed(t, c.schema, live.table, partition, events, versioned),
      );
      return r.applied;
    }
    case "checkpoint-after": {
      const from = await readCheckpoint(pool, c.schema, partition, false);
      const todo = events.filter((e) => e.offset >= from);
      await inTransaction(pool, (t) => applyBatch(t, live.table, todo, false));
      failpoint("after-apply", todo.length);
      await writeCheckpoint(pool, c.schema, partition, next);
      return todo.length;
    }
    case "parallel":
      await Promise.all(events.map((e) => inTransaction(pool, (t) => applyUnlocked(t, live.table, e))));
      return events.length;
  }
}

// The checkpoint modes resume from their own positions, whatever Kafka has committed.
consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
  if (!checkpointed) return;
  const partitions = payload.memberAssignment[c.topic] ?? [];
  void (async () => {
    for (const partition of partitions) {
      const offset = await readCheckpoint(pool, c.schema, partition, false).catch(() => undefined);
      if (offset !== undefined && offset > 0) consumer.seek({ topic: c.topic, partition, offset: String(offset) });
    }
  })();
});

onStop(async () => {
  await consumer.disconnect().catch(() => {});
  await pool.end().catch(() => {});
});
await consumer.connect();
await consumer.subscribe({ topic: c.topic, fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachBatchAutoResolve: false,
  eachBatch: async ({ batch, heartbeat, resolveOffset }) => {
    if (!batch.messages.length) return;
    while (live.gate) await live.gate; // a rebuild is swapping (or emptying) the table
    live.busy = true;
    try {
      const events = batch.messages.map(parse);
      const next = events.at(-1)!.offset + 1;
      const applied = await apply(batch.partition, events, next);
      if (c.mode !== "checkpoint-after") failpoint("after-apply", applied);
      stats.batches++;
      stats.events += events.length;
      stats.applied += applied;
      stats.skipped += events.length - applied;
      live.positions.set(batch.partition, next);
      resolveOffset(events.at(-1)!.offset.toString());
      await consumer.commitOffsets([{ topic: c.topic, partition: batch.partition, offset: String(next) }]);
      await heartbeat();
    } finally {
      live.busy = false;
    }
  },
});
ready();
log(`projector ${c.mode} on ${live.table}${c.rebuild ? `, rebuild (${c.rebuild.how}) at ${c.rebuild.atS} s` : ""}`);
if (c.rebuild) {
  const rebuild = c.rebuild.how === "swap" ? rebuildAndSwap : rebuildInPlace;
  const x = { kafka, pool, topic: c.topic, groupId: c.groupId, schema: c.schema, live, stats };
  setTimeout(() => rebuild(x).catch((e: Error) => log(`rebuild failed: ${e.message}`)), c.rebuild.atS * 1000);
}
