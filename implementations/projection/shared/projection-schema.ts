import type pg from "pg";
import type { SummaryEvent } from "../../../harness/checkers/read-model.js";

/**
 * The projection pattern's tables, in a schema of their own per run:
 *   write side  dgh_customers (each customer's version: its events are numbered 1, 2, 3…), dgh_events (every
 *               committed event: the write model), dgh_outbox (what the relay publishes, the outbox pattern's layout)
 *   read side   read_summary_<n> (the order summary per customer, generation n), the view read_summary (what readers
 *               query: a rebuild swaps it to a new generation), read_generation (which one it is), checkpoints
 *               (stream positions, for the strategies that keep them beside the rows)
 */
export const schemaFor = (runId: string) => `proj_${runId}`;
export const topicFor = (runId: string) => `${runId}.order-events`;
export const groupFor = (runId: string) => `${runId}-projection`;
export const summaryTable = (schema: string, generation: number) => `${schema}.read_summary_${generation}`;

export async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`
    create schema ${schema};
    create table ${schema}.dgh_customers (id text primary key, version int not null);
    create table ${schema}.dgh_events (seq bigserial primary key, event_id text not null unique, customer text not null,
      version int not null, type text not null, amount int not null, committed_at timestamptz not null default clock_timestamp());
    create table ${schema}.dgh_outbox (
      id bigserial primary key, event_id text not null unique, aggregatetype text not null, aggregateid text not null,
      type text not null, seq int not null, payload jsonb not null, created_at timestamptz not null default now(), published_at timestamptz);
    create index on ${schema}.dgh_outbox (id) where published_at is null;
    create table ${schema}.read_generation (generation int not null);
    insert into ${schema}.read_generation values (1);
    create table ${schema}.checkpoints (partition int primary key, next_offset bigint not null);`);
  await createSummaryTable(pool, schema, 1);
  await pool.query(`create view ${schema}.read_summary as select * from ${summaryTable(schema, 1)}`);
}

/** A generation of the read model: one row per customer. */
export async function createSummaryTable(db: pg.Pool | pg.PoolClient, schema: string, generation: number) {
  await db.query(`create table if not exists ${summaryTable(schema, generation)} (
    customer text primary key, orders int not null, total bigint not null, status text not null,
    version int not null, events int not null, updated_at timestamptz not null default clock_timestamp())`);
}

/** An event as the write side commits and publishes it (key: the customer). */
export interface OrderEvent extends SummaryEvent {
  eventId: string;
  customer: string;
}

/** The op's event type: what the workload's `f` means. */
export const eventType = { place: "OrderPlaced", pay: "OrderPaid", cancel: "OrderCancelled" } as const;
