import type pg from "pg";
import { initial, type AccountState, type StoredEvent } from "./account.js";

type Db = pg.Pool | pg.PoolClient | pg.Client;

/** Raised when another writer appended first: the caller reloads and retries. */
export class ConcurrencyError extends Error {
  constructor(
    readonly aggregateId: string,
    readonly expectedVersion: number,
  ) {
    super(`concurrency conflict on ${aggregateId}: expected version ${expectedVersion}, another writer appended first`);
  }
}

export const schemaFor = (runId: string) => `es_${runId}`;

/**
 * An append-only event store. With `optimistic` (the default), (aggregate_id, version) is unique: two writers
 * can never both append at the same version. Without it (the no-concurrency-check control) they can.
 */
export async function createStore(db: Db, schema: string, optimistic = true): Promise<void> {
  await db.query(`
    create schema ${schema};
    create table ${schema}.events (seq bigserial primary key, aggregate_id text not null, version int not null, type text not null,
      v int not null, data jsonb not null, recorded_at timestamptz not null default clock_timestamp());
    create ${optimistic ? "unique" : ""} index events_stream on ${schema}.events (aggregate_id, version);
    create table ${schema}.snapshots (aggregate_id text not null, version int not null, state jsonb not null,
      taken_at timestamptz not null default clock_timestamp(), primary key (aggregate_id, version));`);
}

/** Appends events after `expectedVersion`; a unique violation means someone else got there first. */
export async function append(
  db: Db,
  schema: string,
  aggregateId: string,
  expectedVersion: number,
  events: readonly StoredEvent[],
): Promise<number> {
  const values: unknown[] = [];
  const rows = events.map((e, i) => {
    values.push(aggregateId, expectedVersion + i + 1, e.type, e.v, JSON.stringify(e.data));
    const b = i * 5;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`;
  });
  try {
    await db.query(
      `insert into ${schema}.events (aggregate_id, version, type, v, data) values ${rows.join(", ")}`,
      values,
    );
  } catch (e) {
    if ((e as { code?: string }).code === "23505") throw new ConcurrencyError(aggregateId, expectedVersion);
    throw e;
  }
  return expectedVersion + events.length;
}

export async function loadEvents(
  db: Db,
  schema: string,
  aggregateId: string,
  afterVersion = 0,
): Promise<StoredEvent[]> {
  const { rows } = await db.query<StoredEvent>(
    `select type, v, data from ${schema}.events where aggregate_id = $1 and version > $2 order by version, seq`,
    [aggregateId, afterVersion],
  );
  return rows;
}

/** How a snapshot's state is written. The correct one keeps every field; the stale-snapshot control's does not. */
export type Serializer = (s: AccountState) => Record<string, unknown>;
export const exactSerializer: Serializer = (s) => ({ ...s });

/** Reads a snapshot back; fields it lacks take their initial values (which is how a dropped field goes unnoticed). */
export const deserialize = (state: Record<string, unknown>): AccountState =>
  ({ ...initial(), ...state }) as AccountState;

export async function latestSnapshot(
  db: Db,
  schema: string,
  aggregateId: string,
): Promise<{ version: number; state: AccountState } | undefined> {
  const { rows } = await db.query<{ version: number; state: Record<string, unknown> }>(
    `select version, state from ${schema}.snapshots where aggregate_id = $1 order by version desc limit 1`,
    [aggregateId],
  );
  return rows[0] ? { version: rows[0].version, state: deserialize(rows[0].state) } : undefined;
}

export async function writeSnapshot(
  db: Db,
  schema: string,
  aggregateId: string,
  state: AccountState,
  serialize: Serializer,
): Promise<void> {
  await db.query(
    `insert into ${schema}.snapshots (aggregate_id, version, state) values ($1, $2, $3) on conflict do nothing`,
    [aggregateId, state.version, JSON.stringify(serialize(state))],
  );
}
