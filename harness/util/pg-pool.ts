import pg from "pg";

/**
 * A pg.Pool that survives its server going away: without listeners, a connection terminated by a PostgreSQL
 * restart or a Toxiproxy cut is an unhandled 'error' event that kills the whole process. The failure still
 * reaches the caller through the query that was using the connection.
 */
export function resilientPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on("error", () => {});
  pool.on("connect", (client) => { client.on("error", () => {}); });
  return pool;
}
