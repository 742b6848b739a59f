import type pg from "pg";
import type { Completion } from "../run/contracts.js";

/**
 * An op's transaction on a connection of `pool`, judged as its client can know it: no connection, or an error
 * before COMMIT, is `fail` (nothing committed); an error from COMMIT itself is `info`: over a broken connection it
 * may have committed. `body` writes inside the transaction and returns the op's value.
 */
export async function commandInTransaction(
  pool: pg.Pool,
  body: (client: pg.PoolClient) => Promise<unknown>,
): Promise<Completion> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    return { outcome: "fail", error: `no connection: ${(e as Error).message}` };
  }
  let committing = false;
  try {
    await client.query("begin");
    const value = await body(client);
    committing = true;
    await client.query("commit");
    return value === undefined ? { outcome: "ok" } : { outcome: "ok", value };
  } catch (e) {
    if (committing) return { outcome: "info", error: (e as Error).message };
    await client.query("rollback").catch(() => {});
    return { outcome: "fail", error: (e as Error).message };
  } finally {
    client.release();
  }
}
