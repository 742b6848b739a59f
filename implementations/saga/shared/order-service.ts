import type pg from "pg";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { commandInTransaction } from "../../../harness/util/pg-command.js";
import { pgConfig } from "../../../harness/env/environment.js";
import type { Completion, OpSpec, RunContext } from "../../../harness/run/contracts.js";
import type { Order } from "./saga-schema.js";
import { schemasFor } from "./saga-schema.js";

/** The order an op asks for (its id is the saga's id; the workload chose where it must fail). */
export const orderOf = (op: OpSpec): Order => ({
  id: op.id,
  customer: op.key!,
  ...(op.value as Omit<Order, "id" | "customer">),
});

/**
 * The order service's side of starting a saga: the order row, and whatever starts the saga (the first command in
 * the outbox, an event) in the same transaction. Through Toxiproxy, so "PostgreSQL slow or down" reaches it. An
 * op is ok once that transaction committed: from then on its saga must end completed or compensated.
 */
export function orderService(ctx: RunContext, start: (db: pg.PoolClient, o: Order) => Promise<void>) {
  const pool = resilientPool({
    ...pgConfig(ctx.env, "proxied"),
    max: ctx.workload.concurrency,
    connectionTimeoutMillis: 3000,
    query_timeout: 5000,
  });
  const schema = schemasFor(ctx.runId).orders;
  return {
    pool,
    invoke: (op: OpSpec): Promise<Completion> =>
      commandInTransaction(pool, async (db) => {
        const o = orderOf(op);
        await db.query(
          `insert into ${schema}.dgh_orders (id, customer, sku, qty, amount, card, plan, step, status)
          values ($1, $2, $3, $4, $5, $6, $7, 'reserve', 'running')`,
          [o.id, o.customer, o.sku, o.qty, o.amount, o.card, o.plan],
        );
        await start(db, o);
      }),
    close: () => pool.end(),
  };
}
