import type pg from "pg";
import { replay, type AccountState } from "./account.js";
import { latestSnapshot, loadEvents } from "./event-store.js";

type Db = pg.Pool | pg.PoolClient | pg.Client;

/** Every event from the start: the reference state. */
export async function loadFull(db: Db, schema: string, id: string): Promise<AccountState> {
  return replay(await loadEvents(db, schema, id));
}

/** The newest snapshot, then the events after it. */
export async function loadFromSnapshot(db: Db, schema: string, id: string): Promise<AccountState> {
  const snap = await latestSnapshot(db, schema, id);
  return replay(await loadEvents(db, schema, id, snap?.version ?? 0), snap?.state);
}
