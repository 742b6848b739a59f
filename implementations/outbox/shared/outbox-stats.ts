import type pg from "pg";

/** What the relay costs the database: scans and rows read on the outbox table, its size and dead rows. */
export async function outboxTableStats(pool: pg.Pool, schema: string): Promise<Record<string, number>> {
  const { rows } = await pool.query(
    `select coalesce(seq_scan,0) seq_scan, coalesce(seq_tup_read,0) seq_tup_read, coalesce(idx_scan,0) idx_scan,
            coalesce(idx_tup_fetch,0) idx_tup_fetch, n_live_tup, n_dead_tup, pg_total_relation_size(relid) bytes
       from pg_stat_user_tables where schemaname = $1 and relname = 'dgh_outbox'`,
    [schema],
  );
  const r = rows[0] ?? {};
  return {
    outboxRowsScanned: Number(r.seq_tup_read ?? 0) + Number(r.idx_tup_fetch ?? 0),
    outboxScans: Number(r.seq_scan ?? 0) + Number(r.idx_scan ?? 0),
    outboxLiveRows: Number(r.n_live_tup ?? 0),
    outboxDeadRows: Number(r.n_dead_tup ?? 0),
    outboxTableKiB: Math.round(Number(r.bytes ?? 0) / 1024),
  };
}

/** Bytes of WAL the slot has not confirmed yet (0 = the relay has published everything committed). */
export async function slotLag(pool: pg.Pool, slot: string): Promise<number> {
  const { rows } = await pool.query<{ lag: string | null }>(
    "select pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) lag from pg_replication_slots where slot_name = $1",
    [slot],
  );
  return Number(rows[0]?.lag ?? 0);
}
