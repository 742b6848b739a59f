import { resilientPool } from "../../../harness/util/pg-pool.js";
import { Kafka, logLevel } from "kafkajs";
import { kafkaBrokers, pgConfig } from "../../../harness/env/environment.js";
import type { RunContext, PatternRun, OpSpec } from "../../../harness/run/contracts.js";
import type { Delivery } from "../../../harness/checkers/types.js";
import type { OrderEvent } from "./outbox-schema.js";
import { waitFor } from "../../../harness/util/wait.js";
import type { LatencyPoint } from "../../../harness/metrics/recovery.js";

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
  const ackedAt = new Map<string, number>();
  const arrivedAt = new Map<string, number>();
  const distinct = new Set<string>();
  const points: LatencyPoint[] = [];
  const e2e = (atUs: number, us: number) => {
    const v = Math.max(1, us);
    ctx.metrics.record("end-to-end", v);
    points.push({ atUs, e2eUs: v });
  };
  const consumer = kafka.consumer({ groupId: `${ctx.runId}-observer`, readUncommitted: false, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let assigned = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    assigned = true;
  });
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
          const acked = ackedAt.get(ev.eventId);
          if (acked !== undefined) e2e(nowUs, nowUs - acked);
          else arrivedAt.set(ev.eventId, nowUs); // arrived before the client saw its commit ack
        }
      }
    },
  });
  await waitFor("observer to join its group", () => assigned, { timeoutMs: 30_000 });
  const db = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 2 });
  return {
    acknowledged(op: OpSpec, atUs: number, warmup: boolean) {
      if (warmup) return;
      const early = arrivedAt.get(op.id);
      if (early !== undefined) {
        e2e(early, early - atUs);
        arrivedAt.delete(op.id);
      } else ackedAt.set(op.id, atUs);
    },
    latencyPoints: () => points,
    progress: async () => deliveries.length,
    async outstanding() {
      const { rows } = await db.query<{ n: string }>(`select count(*) n from ${schema}.order_events`);
      return Number(rows[0]!.n) - distinct.size;
    },
    async observe() {
      const { rows } = await db.query<{ event_id: string }>(`select event_id from ${schema}.order_events`);
      return { committed: rows.map((r) => r.event_id), deliveries: [...deliveries] };
    },
    async close() {
      await consumer.disconnect();
      await db.end();
    },
  };
}
