import pg from "pg";

/**
 * A pg.Pool that survives its server going away: without listeners, a connection terminated by a PostgreSQL
 * restart or a Toxiproxy cut is an unhandled 'error' event that kills the whole process. The failure still
 * reaches the caller through the query that was using the connection.
 */
export function resilientPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on("error", () => {});
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });
  return pool;
}

/** Runs `body` in one transaction on a connection of `pool`: commit if it returns, rollback if it throws. */
export async function inTransaction<T>(pool: pg.Pool, body: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query("begin");
    const r = await body(c);
    await c.query("commit");
    return r;
  } catch (e) {
    await c.query("rollback").catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}
