import type pg from "pg";
import { failpoint, log, onStop, ready, workerConfig, workerStats } from "../../../harness/workers/worker-runtime.js";
import { applyOnce } from "./participant-effects.js";
import { startOutboxRelay } from "./outbox-relay.js";
import { type Command, commandFor, type Order, type SagaTopics } from "./saga-schema.js";
import { withRetries } from "./with-retries.js";
import { consumeInOrder, sagaClients } from "./saga-kafka.js";

/**
 * A service of the choreographed saga: no one directs it; each service reacts to the others' events and
 * publishes its own through its outbox (written in the transaction of the change, relayed by a loop here).
 *   inventory: OrderPlaced → reserve → StockReserved | StockRejected; PaymentDeclined, PaymentRefunded → release → StockReleased
 *   payment:   StockReserved → charge → PaymentCharged | PaymentDeclined; OrderRejected → refund → PaymentRefunded
 *   orders:    PaymentCharged → completed, or (confirmation fails) OrderRejected; StockRejected, StockReleased → compensated
 * Participants apply each step once (the db-unique guard on `<saga>:<step>`), so a redelivered event changes
 * nothing and emits nothing new; its first application's event is already in the outbox.
 */
export type Service = "orders" | "inventory" | "payment";
export interface SagaEvent {
  type: string;
  order: Order;
}
interface Config {
  service: Service;
  pg: pg.ClientConfig;
  brokers: string[];
  topics: SagaTopics;
  groupId: string;
  schema: string;
  redeliverEvery: number;
}

/** What each participant does on an event: the step it applies, and the event it emits when it succeeded or failed. */
const steps: Record<string, { step: Command["type"]; ok: string; failed: string }> = {
  "inventory:OrderPlaced": { step: "reserve", ok: "StockReserved", failed: "StockRejected" },
  "inventory:PaymentDeclined": { step: "release", ok: "StockReleased", failed: "StockReleased" },
  "inventory:PaymentRefunded": { step: "release", ok: "StockReleased", failed: "StockReleased" },
  "payment:StockReserved": { step: "charge", ok: "PaymentCharged", failed: "PaymentDeclined" },
  "payment:OrderRejected": { step: "refund", ok: "PaymentRefunded", failed: "PaymentRefunded" },
};
/** The topics each service listens to, and the one it publishes on. */
const wiring = (t: SagaTopics): Record<Service, { listens: string[]; emits: string }> => ({
  orders: { listens: [t.inventoryEvents, t.paymentEvents], emits: t.ordersEvents },
  inventory: { listens: [t.ordersEvents, t.paymentEvents], emits: t.inventoryEvents },
  payment: { listens: [t.inventoryEvents, t.ordersEvents], emits: t.paymentEvents },
});

const c = workerConfig<Config>();
const stats = workerStats({
  events: 0,
  applied: 0,
  duplicates: 0,
  ignored: 0,
  published: 0,
  redelivered: 0,
  relayQueries: 0,
  errors: 0,
});
const { listens, emits } = wiring(c.topics)[c.service];
const { pool, producer, consumer } = sagaClients(c);

async function inTransaction<T>(work: (db: pg.PoolClient) => Promise<T>): Promise<T> {
  const db = await pool.connect();
  try {
    await db.query("begin");
    const r = await work(db);
    await db.query("commit");
    return r;
  } catch (e) {
    await db.query("rollback").catch(() => {});
    throw e;
  } finally {
    db.release();
  }
}
const emit = (db: pg.PoolClient, type: string, order: Order) =>
  db.query(`insert into ${c.schema}.dgh_saga_outbox (topic, saga_id, message) values ($1, $2, $3)`, [
    emits,
    order.id,
    { type, order } satisfies SagaEvent,
  ]);

/** A participant's reaction: the step once, and its event in the same transaction. */
async function participate(e: SagaEvent): Promise<"applied" | "duplicate" | "ignored"> {
  const s = steps[`${c.service}:${e.type}`];
  if (!s) return "ignored";
  return inTransaction(async (db) => {
    const r = await applyOnce(db, c.schema, commandFor(e.order, s.step));
    if (!r.applied) return "duplicate";
    await emit(db, r.reply.ok ? s.ok : s.failed, e.order);
    return "applied";
  });
}

/** The order service's reaction: the order's outcome, or its rejection when confirmation fails. */
async function conclude(e: SagaEvent): Promise<"applied" | "duplicate" | "ignored"> {
  const end = (status: string) =>
    inTransaction(async (db) => {
      const r = await db.query(
        `update ${c.schema}.dgh_orders set status = $2, step = 'done', ended_at = clock_timestamp() where id = $1 and status = 'running'`,
        [e.order.id, status],
      );
      return r.rowCount ? "applied" : "duplicate";
    });
  switch (e.type) {
    case "StockRejected":
    case "StockReleased":
      return end("compensated");
    case "PaymentCharged":
      if (e.order.plan !== "confirm-fails") return end("completed");
      return inTransaction(async (db) => {
        const r = await db.query(
          `update ${c.schema}.dgh_orders set step = 'rejected' where id = $1 and status = 'running' and step <> 'rejected'`,
          [e.order.id],
        );
        if (!r.rowCount) return "duplicate";
        await emit(db, "OrderRejected", e.order);
        return "applied";
      });
    default:
      return "ignored";
  }
}

await producer.connect();
const stopRelay = startOutboxRelay({ pool, schema: c.schema, producer, redeliverEvery: c.redeliverEvery, stats });
await consumeInOrder(consumer, listens, async (value) => {
  const event = JSON.parse(value) as SagaEvent;
  stats.events++;
  const outcome = await withRetries(
    () => (c.service === "orders" ? conclude(event) : participate(event)),
    () => stats.errors++,
  );
  stats[outcome === "applied" ? "applied" : outcome === "duplicate" ? "duplicates" : "ignored"]++;
  if (outcome === "applied") failpoint(c.service === "orders" ? "after-step" : "after-commit", 1);
});
onStop(async () => {
  await stopRelay();
  await consumer.disconnect();
  await producer.disconnect();
  await pool.end();
});
ready();
log(`${c.service} service listening to ${listens.join(", ")}`);
