import { resilientPool } from "../util/pg-pool.js";
import { Kafka, logLevel } from "kafkajs";
import { Redis } from "ioredis";
import { kafkaBrokers, pgConfig, redisUrl, type Route } from "../env/environment.js";
import type { Baseline, RunContext } from "../run/contracts.js";
import { newHistogram, summarize } from "./histogram.js";
import { createTopics } from "../util/kafka-topics.js";

/** Runs `op` from `clients` concurrent loops for `seconds`; ops/s and latency of the raw thing. */
async function closedLoop(seconds: number, clients: number, op: (client: number, i: number) => Promise<unknown>) {
  const h = newHistogram();
  let n = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; performance.now() < end; i++) {
        const t = performance.now();
        await op(c, i);
        h.recordValue(Math.max(1, Math.round((performance.now() - t) * 1000)));
        n++;
      }
    }),
  );
  const s = summarize(h);
  return { opsPerS: n / seconds, latency: { p50Us: s.p50Us, p99Us: s.p99Us } };
}

/** Raw PostgreSQL: one single-row INSERT committed per transaction, same route and client count as the strategy. */
export async function pgCommitBaseline(ctx: RunContext, seconds: number, route: Route = "proxied"): Promise<Baseline> {
  const clients = ctx.workload.concurrency;
  const pool = resilientPool({ ...pgConfig(ctx.env, route), max: clients });
  const table = `baseline_${ctx.runId}`;
  await pool.query(`create table ${table} (id bigserial primary key, v text)`);
  try {
    const r = await closedLoop(seconds, clients, () =>
      pool.query(`insert into ${table} (v) values ($1)`, ["x".repeat(ctx.workload.payloadBytes)]),
    );
    return { name: "raw PostgreSQL commit", ...r, note: `${clients} clients, 1 insert per transaction, ${route}` };
  } finally {
    await pool.query(`drop table ${table}`).catch(() => {});
    await pool.end();
  }
}

/** Raw Kafka: awaited sends with acks=all from one producer, same concurrency as the strategy. */
export async function kafkaProduceBaseline(
  ctx: RunContext,
  seconds: number,
  route: Route = "proxied",
): Promise<Baseline> {
  const clients = ctx.workload.concurrency;
  const kafka = new Kafka({ brokers: kafkaBrokers(ctx.env, route), logLevel: logLevel.NOTHING });
  const topic = await baselineTopic(kafkaBrokers(ctx.env, route), `${ctx.runId}.baseline`);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
  await producer.connect();
  try {
    const value = "x".repeat(ctx.workload.payloadBytes);
    const r = await closedLoop(seconds, clients, (c, i) =>
      producer.send({ topic, acks: -1, messages: [{ key: `k${c}-${i % 100}`, value }] }),
    );
    return {
      name: "raw Kafka produce (kafkajs)",
      ...r,
      note: `${clients} concurrent awaited sends, acks=all, ${route}`,
    };
  } finally {
    await producer.disconnect();
  }
}

/** Raw Redis: SET NX with a TTL, awaited, same concurrency. */
export async function redisSetNxBaseline(
  ctx: RunContext,
  seconds: number,
  route: Route = "proxied",
): Promise<Baseline> {
  const clients = ctx.workload.concurrency;
  const redis = new Redis(redisUrl(ctx.env, route), { maxRetriesPerRequest: 1 });
  try {
    // Its own prefix, so the guard figures of the run (keys under `${runId}:`) do not count the baseline's keys.
    const r = await closedLoop(seconds, clients, (c, i) =>
      redis.set(`baseline-${ctx.runId}:${c}:${i}`, "1", "PX", 10_000, "NX"),
    );
    return { name: "raw Redis SET NX", ...r, note: `${clients} concurrent awaited commands, ${route}` };
  } finally {
    redis.disconnect();
  }
}

/** Raw Kafka transactions: begin, one awaited send, commit, from one transactional producer (they serialise). */
export async function kafkaTransactionBaseline(
  ctx: RunContext,
  seconds: number,
  route: Route = "proxied",
): Promise<Baseline> {
  const kafka = new Kafka({ brokers: kafkaBrokers(ctx.env, route), logLevel: logLevel.NOTHING });
  const topic = await baselineTopic(kafkaBrokers(ctx.env, route), `${ctx.runId}.baseline-tx`);
  const producer = kafka.producer({
    transactionalId: `${ctx.runId}-baseline`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    const value = "x".repeat(ctx.workload.payloadBytes);
    const r = await closedLoop(seconds, 1, async (_c, i) => {
      const tx = await producer.transaction();
      await tx.send({ topic, messages: [{ key: `k${i % 100}`, value }] });
      await tx.commit();
    });
    return {
      name: "raw Kafka transaction of 1 record (kafkajs)",
      ...r,
      note: `begin + send + commit, one producer, ${route}`,
    };
  } finally {
    await producer.disconnect();
  }
}

/** Raw Kafka consume: how fast one read_committed consumer reads records already on a topic. */
export async function kafkaConsumeBaseline(
  ctx: RunContext,
  seconds: number,
  route: Route = "proxied",
): Promise<Baseline> {
  const kafka = new Kafka({ brokers: kafkaBrokers(ctx.env, route), logLevel: logLevel.NOTHING });
  const topic = await baselineTopic(kafkaBrokers(ctx.env, route), `${ctx.runId}.baseline-consume`);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const value = "x".repeat(ctx.workload.payloadBytes);
  let total = 0;
  const fillEnd = performance.now() + seconds * 1000;
  while (performance.now() < fillEnd) {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 500 }, (_, i) => ({ key: `k${i % 100}`, value })),
    });
    total += 500;
  }
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `${ctx.runId}-baseline-consume`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let n = 0,
    first = 0,
    last = 0;
  await consumer.run({
    eachBatch: async ({ batch }) => {
      first ||= performance.now();
      n += batch.messages.length;
      last = performance.now();
    },
  });
  const deadline = performance.now() + 60_000;
  while (n < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await consumer.disconnect();
  return {
    name: "raw Kafka consume (kafkajs)",
    opsPerS: n / Math.max(0.001, (last - first) / 1000),
    note: `${n} of ${total} records read from a 3-partition topic, ${route}`,
  };
}

/** A 3-partition topic for one baseline. */
async function baselineTopic(brokers: string[], topic: string): Promise<string> {
  await createTopics(brokers, [topic], 3);
  return topic;
}
