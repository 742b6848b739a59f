import { resilientPool } from "../../../harness/util/pg-pool.js";
import { Kafka, logLevel } from "kafkajs";
import { kafkaBrokers, pgConfig } from "../../../harness/env/environment.js";
import type { RunContext, PatternRun, OpSpec } from "../../../harness/run/contracts.js";
import type { Delivery } from "../../../harness/checkers/types.js";
import type { OrderEvent } from "./outbox-schema.js";
import { waitFor } from "../../../harness/util/wait.js";
import { EndToEnd } from "../../../harness/metrics/end-to-end.js";

/**
 * The downstream consumer every outbox strategy delivers to: it reads the topic (read_committed, direct route,
 * never faulted), records each receipt, and measures commit-acknowledged → received.
 */
export async function startObserver(ctx: RunContext, topic: string, schema: string): Promise<PatternRun> {
  const kafka = new Kafka({
    brokers: kafkaBrokers(ctx.env, "direct"),
    clientId: `${ctx.runId}-observer`,
    logLevel: logLevel.NOTHING,
  });
  const deliveries: Delivery[] = [];
  const distinct = new Set<string>();
  // Commit acknowledged → received.
  const e2e = new EndToEnd(ctx.metrics);
  const consumer = kafka.consumer({ groupId: `${ctx.runId}-observer`, readUncommitted: false, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let assigned = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    assigned = true;
  });
  // An observer that stopped for good (kafkajs does not restart it: a codec it lacks, such as snappy, or a
  // non-retriable error) must not pass for lost messages. A crash kafkajs restarts from (restart: true, e.g. a
  // connection lost under load) is not one: counting it made a CI run UNKNOWN that had lost nothing.
  let unreadable: string | undefined;
  consumer.on(consumer.events.CRASH, (e) => {
    if (!e.payload.restart) unreadable ??= e.payload.error.message;
  });
  const readable = () => {
    if (unreadable)
      throw new Error(
        `the observer stopped reading ${topic}: ${unreadable} (CONTRACT.md: records uncompressed or gzip-compressed)`,
      );
  };
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const nowUs = ctx.history.now();
      for (const m of batch.messages) {
        const ev = JSON.parse(String(m.value)) as OrderEvent;
        deliveries.push({
          id: ev.eventId,
          key: ev.orderId,
          seq: ev.seq,
          partition: batch.partition,
          offset: m.offset,
          atMs: Date.now(),
        });
        if (!distinct.has(ev.eventId)) {
          distinct.add(ev.eventId);
          e2e.arrived(ev.eventId, nowUs);
        }
      }
    },
  });
  await waitFor("observer to join its group", () => assigned, { timeoutMs: 30_000 });
  const db = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 2 });
  return {
    acknowledged(op: OpSpec, atUs: number, warmup: boolean) {
      if (!warmup) e2e.acknowledged(op.id, atUs);
    },
    latencyPoints: () => e2e.points,
    progress: async () => deliveries.length,
    async outstanding() {
      const { rows } = await db.query<{ n: string }>(`select count(*) n from ${schema}.dgh_order_events`);
      return Number(rows[0]!.n) - distinct.size;
    },
    async pending() {
      return unreadable ? [{ stage: `observer (stopped reading the topic: ${unreadable})`, count: 1 }] : [];
    },
    async observe() {
      readable();
      const { rows } = await db.query<{ event_id: string }>(`select event_id from ${schema}.dgh_order_events`);
      return { committed: rows.map((r) => r.event_id), deliveries: [...deliveries] };
    },
    async close() {
      await consumer.disconnect();
      await db.end();
    },
  };
}
