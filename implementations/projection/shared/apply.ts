import type pg from "pg";
import { applyEvent } from "../../../harness/checkers/read-model.js";
import type { SummaryRow } from "../../../harness/checkers/types.js";
import type { OrderEvent } from "./projection-schema.js";

/**
 * Applies one partition's batch of events to a summary table inside the caller's transaction: lock the batch's
 * rows, fold each event into its row in memory, write each changed row once. `versioned` skips an event whose
 * version the row already has (a redelivery); blind applies every event it is given (a redelivery counts twice).
 */
export async function applyBatch(
  client: pg.PoolClient,
  table: string,
  events: readonly OrderEvent[],
  versioned: boolean,
): Promise<{ applied: number; skipped: number }> {
  const keys = [...new Set(events.map((e) => e.customer))];
  const current = await readRows(client, table, keys, true);
  const changed = new Map<string, SummaryRow>();
  let applied = 0;
  for (const e of events) {
    const row = current.get(e.customer) ?? emptyRow();
    if (versioned && e.version <= row.version) continue;
    applyEvent(row, e);
    current.set(e.customer, row);
    changed.set(e.customer, row);
    applied++;
  }
  await writeRows(client, table, changed);
  return { applied, skipped: events.length - applied };
}

/**
 * Applies a batch with the partition's stream position in the same transaction (inside the caller's): reads the
 * position (`for update`), applies only the events at or past it, moves it past the batch. A batch delivered
 * again finds its events behind the position and applies none. A position cannot tell an event published twice
 * (the relay is at-least-once: two offsets, one event) from two events; `versioned` also skips those.
 */
export async function applyCheckpointed(
  client: pg.PoolClient,
  schema: string,
  table: string,
  partition: number,
  events: readonly (OrderEvent & { offset: number })[],
  versioned: boolean,
): Promise<{ applied: number; skipped: number }> {
  const from = await readCheckpoint(client, schema, partition, true);
  const r = await applyBatch(
    client,
    table,
    events.filter((e) => e.offset >= from),
    versioned,
  );
  await writeCheckpoint(client, schema, partition, events.at(-1)!.offset + 1);
  return { applied: r.applied, skipped: events.length - r.applied };
}

/** The next offset a partition's events are applied from, as the read database keeps it (0: none yet). */
export async function readCheckpoint(
  db: pg.Pool | pg.PoolClient,
  schema: string,
  partition: number,
  lock: boolean,
): Promise<number> {
  const { rows } = await db.query<{ next_offset: string }>(
    `select next_offset from ${schema}.checkpoints where partition = $1${lock ? " for update" : ""}`,
    [partition],
  );
  return rows.length ? Number(rows[0]!.next_offset) : 0;
}

export const writeCheckpoint = (db: pg.Pool | pg.PoolClient, schema: string, partition: number, next: number) =>
  db.query(
    `insert into ${schema}.checkpoints values ($1, $2) on conflict (partition) do update set next_offset = excluded.next_offset`,
    [partition, next],
  );

/**
 * One event in its own transaction, read then written without a lock: what a handler does when a batch's events
 * are handed to a pool of workers. Two events of one customer in flight at once overwrite each other.
 */
export async function applyUnlocked(client: pg.PoolClient, table: string, e: OrderEvent): Promise<void> {
  const rows = await readRows(client, table, [e.customer], false);
  const row = rows.get(e.customer) ?? emptyRow();
  applyEvent(row, e);
  await writeRows(client, table, new Map([[e.customer, row]]));
}

const emptyRow = (): SummaryRow => ({ orders: 0, total: 0, status: "", version: 0, events: 0 });

async function readRows(
  client: pg.PoolClient,
  table: string,
  keys: readonly string[],
  lock: boolean,
): Promise<Map<string, SummaryRow>> {
  const { rows } = await client.query<SummaryRow & { customer: string; total: string }>(
    `select customer, orders, total, status, version, events from ${table} where customer = any($1)${lock ? " for update" : ""}`,
    [keys],
  );
  return new Map(rows.map(({ customer, ...r }) => [customer, { ...r, total: Number(r.total) }]));
}

async function writeRows(client: pg.PoolClient, table: string, rows: ReadonlyMap<string, SummaryRow>): Promise<void> {
  if (!rows.size) return;
  const rs = [...rows];
  await client.query(
    `insert into ${table} (customer, orders, total, status, version, events)
     select * from unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::int[], $6::int[])
     on conflict (customer) do update set orders = excluded.orders, total = excluded.total, status = excluded.status,
       version = excluded.version, events = excluded.events, updated_at = clock_timestamp()`,
    [
      rs.map(([k]) => k),
      rs.map(([, r]) => r.orders),
      rs.map(([, r]) => r.total),
      rs.map(([, r]) => r.status),
      rs.map(([, r]) => r.version),
      rs.map(([, r]) => r.events),
    ],
  );
}
