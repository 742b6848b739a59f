import { Kafka, logLevel } from "kafkajs";
import type { OpSpec, PatternRun, RunContext } from "../../../harness/run/contracts.js";
import type { DeadLetter, Delivery, PartitionProgress } from "../../../harness/checkers/types.js";
import { kafkaBrokers, pgConfig } from "../../../harness/env/environment.js";
import { EndToEnd } from "../../../harness/metrics/end-to-end.js";
import { committedOffsets } from "../../../harness/util/kafka-lag.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { readDeadLetter } from "./dead-letter.js";
import { backoffOf, dlqTopicFor, groupFor, schemaFor, topicFor } from "./dlq-schema.js";

/**
 * The downstream side, on direct routes: the ledger as payments are applied (end-to-end latency), the main consumer
 * group's committed offset per partition twice a second (a partition standing still with messages behind it), and
 * after quiesce every dead letter on the DLQ (time to dead-letter, and what the checkers read).
 */
export function startObserver(ctx: RunContext): PatternRun {
  const schema = schemaFor(ctx.runId);
  const db = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 2 });
  const kafka = new Kafka({ brokers: kafkaBrokers(ctx.env, "direct"), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const e2e = new EndToEnd(ctx.metrics);
  const ackedWallMs = new Map<string, number>();
  const seen = new Set<string>();
  const still = new Map<number, { offset: number; sinceMs: number }>();
  const startedMs = Date.now(); // a partition never committed has stood still since the run began
  let lastId = 0;
  let running = true;
  const wallUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
  const pollLedger = async () => {
    const { rows } = await db.query<{ id: string; payment_id: string; at: string }>(
      `select id, payment_id, (extract(epoch from applied_at) * 1000000)::bigint at from ${schema}.dgh_ledger where id > $1 order by id`,
      [lastId],
    );
    for (const r of rows) {
      lastId = Number(r.id);
      if (seen.has(r.payment_id)) continue;
      seen.add(r.payment_id);
      e2e.arrived(r.payment_id, ctx.history.now() - (wallUs() - Number(r.at)));
    }
  };
  const pollGroup = async () => {
    const committed = await committedOffsets(admin, groupFor(ctx.runId), topicFor(ctx.runId));
    for (const [partition, offset] of committed)
      if (still.get(partition)?.offset !== offset) still.set(partition, { offset, sinceMs: Date.now() });
  };
  const every = (ms: number, f: () => Promise<void>) =>
    (async () => {
      while (running) {
        await f().catch(() => {});
        await new Promise((r) => setTimeout(r, ms));
      }
    })();
  const loops = admin.connect().then(() => Promise.all([every(20, pollLedger), every(500, pollGroup)]));

  async function partitions(): Promise<PartitionProgress[]> {
    await pollGroup();
    const ends = await admin.fetchTopicOffsets(topicFor(ctx.runId));
    return ends.map((e) => {
      const s = still.get(e.partition);
      const committed = s?.offset ?? 0;
      return {
        partition: e.partition,
        lag: Math.max(0, Number(e.high) - committed),
        stillForMs: Date.now() - (s?.sinceMs ?? startedMs),
        headOffset: committed,
      };
    });
  }

  async function deadLetters(): Promise<DeadLetter[]> {
    const topic = dlqTopicFor(ctx.runId);
    const ends = (await admin.fetchTopicOffsets(topic)).filter((e) => Number(e.high) > 0);
    const out: (DeadLetter & { atMs: number })[] = [];
    if (!ends.length) return out;
    const left = new Map(ends.map((e) => [e.partition, Number(e.high)]));
    const reader = kafka.consumer({ groupId: `${ctx.runId}-observer-dlq`, maxWaitTimeInMs: 100 });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`read ${out.length} dead letters of ${topic}, then stalled`)),
          30_000,
        );
        void reader.run({
          eachMessage: async ({ partition, message }) => {
            out.push({ ...readDeadLetter(message), atMs: Number(message.timestamp) });
            if (Number(message.offset) + 1 >= (left.get(partition) ?? 0)) left.delete(partition);
            if (!left.size) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await reader.disconnect();
    }
    for (const d of out) {
      const acked = ackedWallMs.get(d.id);
      if (acked !== undefined) ctx.metrics.record("time to dead-letter", Math.max(1, (d.atMs - acked) * 1000));
      ackedWallMs.delete(d.id); // a dead letter written twice counts once
    }
    return out.map(({ atMs: _, ...d }) => d);
  }

  return {
    acknowledged(op: OpSpec, atUs: number, warmup: boolean) {
      if (warmup) return;
      if (op.f === "pay") e2e.acknowledged(op.id, atUs);
      ackedWallMs.set(op.id, wallUs() / 1000);
    },
    latencyPoints: () => e2e.points,
    progress: async () => {
      await pollLedger().catch(() => {});
      return lastId;
    },
    async observe() {
      const ledger = await db.query<{
        payment_id: string;
        customer_id: string;
        amount: number;
        seq: number;
        via: string;
      }>(`select payment_id, customer_id, amount, seq, via from ${schema}.dgh_ledger order by id`);
      // The consumer's applications in the order it made them: per key, a consumer that keeps order never goes back.
      const deliveries: Delivery[] = ledger.rows
        .filter((r) => r.via === "consumer")
        .map((r) => ({ id: r.payment_id, key: r.customer_id, seq: r.seq }));
      return {
        effects: ledger.rows.map((r) => ({ id: r.payment_id, amount: r.amount, via: r.via })),
        deliveries,
        deadLetters: await deadLetters(),
        backoff: backoffOf(ctx.options),
        partitions: await partitions(),
      };
    },
    async close() {
      running = false;
      await loops.catch(() => {});
      await admin.disconnect();
      await db.end();
    },
  };
}
