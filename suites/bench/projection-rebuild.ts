import type pg from "pg";
import { Kafka, logLevel } from "kafkajs";
import { createTopics } from "../../harness/util/kafka-topics.js";
import { inTransaction, resilientPool } from "../../harness/util/pg-pool.js";
import { applyBatch, applyCheckpointed } from "../../implementations/projection/shared/apply.js";
import {
  createSchema,
  type OrderEvent,
  summaryTable,
} from "../../implementations/projection/shared/projection-schema.js";

export interface RebuildFigure {
  events: number;
  how: "raw consume" | "versioned" | "checkpoint";
  /** From the first batch to the last event (the group join before it is left out). */
  seconds: number;
}

const customers = 100;
const partitions = 3;

/**
 * For each stream length: a stream of order events produced straight to Kafka (as the write side would have
 * published them), then read from the beginning by a raw consumer and by each projector's apply into an empty read
 * table, with the projection's own code (`apply.ts`). Each reader has a group of its own.
 */
export async function rebuildThroughput(o: {
  brokers: string[];
  pg: pg.ClientConfig;
  sizes: number[];
  log: (line: string) => void;
}): Promise<RebuildFigure[]> {
  const kafka = new Kafka({ brokers: o.brokers, logLevel: logLevel.NOTHING });
  const pool = resilientPool({ ...o.pg, max: 2 });
  const out: RebuildFigure[] = [];
  try {
    for (const n of o.sizes) {
      const stamp = `rb${n}x${Date.now().toString(36)}`;
      const topic = `${stamp}.order-events`;
      await createTopics(o.brokers, [topic], partitions);
      await produceStream(kafka, topic, n);
      o.log(`${n} events on ${topic}`);
      out.push({ events: n, how: "raw consume", seconds: await readAll(kafka, topic, n, async () => {}) });
      for (const how of ["versioned", "checkpoint"] as const) {
        const schema = `${stamp}_${how}`;
        await createSchema(pool, schema);
        const table = summaryTable(schema, 1);
        const apply =
          how === "versioned"
            ? (_p: number, es: OrderEvent[]) => inTransaction(pool, (t) => applyBatch(t, table, es, true))
            : (p: number, es: (OrderEvent & { offset: number })[]) =>
                inTransaction(pool, (t) => applyCheckpointed(t, schema, table, p, es, true));
        const seconds = await readAll(kafka, topic, n, apply);
        out.push({ events: n, how, seconds });
        o.log(`${how}: ${n} events in ${seconds.toFixed(2)} s`);
        await pool.query(`drop schema ${schema} cascade`);
      }
    }
  } finally {
    await pool.end();
  }
  return out;
}

/** n events of 100 customers, each customer's numbered 1, 2, 3…, in batches of 5,000. */
async function produceStream(kafka: Kafka, topic: string, n: number): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const versions = new Map<string, number>();
  try {
    for (let i = 0; i < n; i += 5000) {
      const messages = [];
      for (let k = i; k < Math.min(n, i + 5000); k++) {
        const customer = `customer-${(k * 7919) % customers}`;
        const version = (versions.get(customer) ?? 0) + 1;
        versions.set(customer, version);
        const type = k % 7 === 0 ? "OrderCancelled" : k % 3 === 0 ? "OrderPaid" : "OrderPlaced";
        const ev: OrderEvent = { eventId: `e${k}`, customer, version, type, amount: 1 + (k % 100) };
        messages.push({ key: customer, value: JSON.stringify(ev) });
      }
      await producer.send({ topic, acks: 1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Reads the topic from the beginning in batches, handing each to `apply`, until n events; seconds from the first batch. */
async function readAll(
  kafka: Kafka,
  topic: string,
  n: number,
  apply: (partition: number, events: (OrderEvent & { offset: number })[]) => Promise<unknown>,
): Promise<number> {
  const consumer = kafka.consumer({ groupId: `${topic}-${Date.now().toString(36)}`, maxWaitTimeInMs: 20 });
  await consumer.connect();
  let seen = 0;
  let firstAt = 0;
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<number>((resolve, reject) => {
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            if (!firstAt) firstAt = performance.now();
            const events = batch.messages.map((m) => ({
              ...(JSON.parse(String(m.value)) as OrderEvent),
              offset: Number(m.offset),
            }));
            await apply(batch.partition, events);
            seen += events.length;
            if (seen >= n) resolve((performance.now() - firstAt) / 1000);
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}
