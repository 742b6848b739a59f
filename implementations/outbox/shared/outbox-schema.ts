import type pg from "pg";

/**
 * The order service's tables, in a schema of their own per run (isolation), named dgh_* so an implementation's
 * own tables (its `outbox`, its `orders`) can take the common names:
 *   dgh_orders        the aggregate (version bumped by every change, so concurrent changes of one order serialise)
 *   dgh_order_events  the domain ledger: every committed change, the source of truth for "was this committed?"
 *   dgh_outbox        rows the relays publish (strategies that do not use it simply never write it)
 */
export const schemaFor = (runId: string) => `outbox_${runId}`;
export const topicFor = (runId: string) => `${runId}.orders`;

export async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`
    create schema ${schema};
    create table ${schema}.dgh_orders (id text primary key, version int not null, status text not null, updated_at timestamptz not null default now());
    create table ${schema}.dgh_order_events (event_id text primary key, order_id text not null, seq int not null, type text not null, committed_at timestamptz not null default now());
    create table ${schema}.dgh_outbox (
      id bigserial primary key, event_id text not null unique, aggregatetype text not null, aggregateid text not null,
      type text not null, seq int not null, payload jsonb not null, created_at timestamptz not null default now(), published_at timestamptz);
    create index on ${schema}.dgh_outbox (id) where published_at is null;`);
}

/** The event as every strategy publishes it: key = order id, value = this JSON. */
export interface OrderEvent {
  eventId: string;
  orderId: string;
  seq: number;
  type: string;
  data: string;
}

export const nextStatus = (seq: number) =>
  seq === 1 ? "OrderCreated" : seq % 5 === 0 ? "OrderCancelled" : "OrderPaid";

/** What else an order change writes in its transaction: dgh's outbox row, or your own write (your outbox table). */
export interface OrderWrite {
  /** Write the event to dgh's `outbox` table for this topic (what the reference relays read). */
  outboxTopic?: string;
  /** Your own write inside the same transaction, after the order and ledger rows (e.g. your outbox table). */
  inTransaction?: (client: pg.PoolClient, ev: OrderEvent) => Promise<void>;
}

/** One order change in one transaction of its own (`writeOrderChange` between BEGIN and COMMIT). */
export async function commitOrderChange(
  client: pg.PoolClient,
  schema: string,
  op: { id: string; key: string; data: string },
  write: OrderWrite = {},
): Promise<OrderEvent> {
  await client.query("begin");
  try {
    const ev = await writeOrderChange(client, schema, op, write);
    await client.query("commit");
    return ev;
  } catch (e) {
    await client.query("rollback").catch(() => {});
    throw e;
  }
}

/**
 * One order change inside the caller's transaction: bump the order's version (row lock: changes of one order
 * commit in seq order), record it in the ledger, and — as `write` says — its outbox row.
 */
export async function writeOrderChange(
  client: pg.PoolClient,
  schema: string,
  op: { id: string; key: string; data: string },
  write: OrderWrite = {},
): Promise<OrderEvent> {
  const outboxTopic = write.outboxTopic;
  const { rows } = await client.query<{ version: number }>(
    `insert into ${schema}.dgh_orders (id, version, status) values ($1, 1, 'OrderCreated')
     on conflict (id) do update set version = dgh_orders.version + 1, updated_at = now() returning version`,
    [op.key],
  );
  const seq = rows[0]!.version;
  const ev: OrderEvent = { eventId: op.id, orderId: op.key, seq, type: nextStatus(seq), data: op.data };
  if (seq > 1) await client.query(`update ${schema}.dgh_orders set status = $2 where id = $1`, [op.key, ev.type]);
  await client.query(`insert into ${schema}.dgh_order_events (event_id, order_id, seq, type) values ($1, $2, $3, $4)`, [
    ev.eventId,
    ev.orderId,
    seq,
    ev.type,
  ]);
  if (outboxTopic) {
    await client.query(
      `insert into ${schema}.dgh_outbox (event_id, aggregatetype, aggregateid, type, seq, payload) values ($1, $2, $3, $4, $5, $6)`,
      [ev.eventId, outboxTopic, ev.orderId, ev.type, seq, JSON.stringify(ev)],
    );
  }
  await write.inTransaction?.(client, ev);
  return ev;
}

/** Outbox rows no relay has published yet: what quiesce waits for on the write side. */
export async function countUnpublished(db: pg.Pool, schema: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `select count(*) n from ${schema}.dgh_outbox where published_at is null`,
  );
  return Number(rows[0]!.n);
}
