import type pg from "pg";

/**
 * Three services, each with its own schema per run (a participant never reads another's tables):
 *   orders     dgh_orders: one row per saga, its step and its status (the orchestrator's state where it has one)
 * Each has a dgh_saga_outbox: the commands or events it sends, written with the change that caused them.
 *   inventory  dgh_stock per SKU (available, and the lowest it ever was); dgh_effects: every reserve and release
 *   payment    dgh_effects: every charge and refund
 * Each participant's dgh_processed holds the command ids it applied and the reply it gave (the idempotency
 * pattern's db-unique guard): a redelivered command gets the same reply and no second effect.
 * Effects have no unique key on purpose: a second charge is a second row the checker can count.
 */
export const schemasFor = (runId: string) => ({
  orders: `saga_${runId}_orders`,
  inventory: `saga_${runId}_inventory`,
  payment: `saga_${runId}_payment`,
});
export type SagaSchemas = ReturnType<typeof schemasFor>;

/**
 * Command topics (one per participant) and the replies every participant sends to an orchestrator; in
 * choreography, each service's events instead.
 */
export const topicsFor = (runId: string) => ({
  inventory: `${runId}.saga.inventory`,
  payment: `${runId}.saga.payment`,
  replies: `${runId}.saga.replies`,
  ordersEvents: `${runId}.saga.orders-events`,
  inventoryEvents: `${runId}.saga.inventory-events`,
  paymentEvents: `${runId}.saga.payment-events`,
});
export type SagaTopics = ReturnType<typeof topicsFor>;

/** SKUs with ample stock, and one with none (the workload's "sold-out" orders ask for it). */
export const skus = Array.from({ length: 10 }, (_, i) => `sku-${i}`);
export const soldOutSku = "sku-sold-out";
export const initialStock = 1_000_000;
export const initialStockOf = (sku: string) => (sku === soldOutSku ? 0 : initialStock);

export async function createSchemas(pool: pg.Pool, s: SagaSchemas): Promise<void> {
  await pool.query(`
    create schema ${s.orders};
    create table ${s.orders}.dgh_orders (id text primary key, customer text not null, sku text not null,
      qty int not null, amount int not null, card text not null, plan text not null,
      step text not null, status text not null,
      started_at timestamptz not null default clock_timestamp(), ended_at timestamptz);
    create table ${s.orders}.dgh_saga_outbox (id bigserial primary key, topic text not null, saga_id text not null,
      message jsonb not null);
    create schema ${s.inventory};
    create table ${s.inventory}.dgh_stock (sku text primary key, available int not null, lowest int not null);
    create table ${s.inventory}.dgh_effects (id bigserial primary key, saga_id text not null, kind text not null,
      sku text not null, amount int not null, at timestamptz not null default clock_timestamp());
    create table ${s.inventory}.dgh_processed (command_id text primary key, reply jsonb not null);
    create table ${s.inventory}.dgh_saga_outbox (id bigserial primary key, topic text not null, saga_id text not null,
      message jsonb not null);
    create schema ${s.payment};
    create table ${s.payment}.dgh_effects (id bigserial primary key, saga_id text not null, kind text not null,
      amount int not null, at timestamptz not null default clock_timestamp());
    create table ${s.payment}.dgh_processed (command_id text primary key, reply jsonb not null);
    create table ${s.payment}.dgh_saga_outbox (id bigserial primary key, topic text not null, saga_id text not null,
      message jsonb not null);`);
  await pool.query(
    `insert into ${s.inventory}.dgh_stock (sku, available, lowest)
    select unnest($1::text[]), ${initialStock}, ${initialStock} union all select $2, 0, 0`,
    [skus, soldOutSku],
  );
}

/** What an order asks for; `plan` is where the workload wants it to fail, if anywhere. */
export interface Order {
  id: string;
  customer: string;
  sku: string;
  qty: number;
  amount: number;
  /** "ok" or "declined": the payment participant declines the charge. */
  card: string;
  plan: "complete" | "sold-out" | "declined" | "confirm-fails";
}

/** A command to a participant; its id is the saga's id and the step, so a redelivery carries the same id. */
export interface Command {
  commandId: string;
  sagaId: string;
  type: "reserve" | "release" | "charge" | "refund";
  sku: string;
  qty: number;
  amount: number;
  card: string;
}
export interface Reply {
  commandId: string;
  sagaId: string;
  type: Command["type"];
  ok: boolean;
  reason?: string;
}
export const commandFor = (o: Order, type: Command["type"]): Command => ({
  commandId: `${o.id}:${type}`,
  sagaId: o.id,
  type,
  sku: o.sku,
  qty: o.qty,
  amount: o.amount,
  card: o.card,
});
export const participantOf = (type: Command["type"]): "inventory" | "payment" =>
  type === "reserve" || type === "release" ? "inventory" : "payment";
