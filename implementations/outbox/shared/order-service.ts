import { resilientPool } from "../../../harness/util/pg-pool.js";
import type pg from "pg";
import { pgConfig } from "../../../harness/env/environment.js";
import type { Completion, OpSpec, RunContext } from "../../../harness/run/contracts.js";
import { commitOrderChange, schemaFor, topicFor, type OrderWrite } from "./outbox-schema.js";

/**
 * The order service of the outbox strategies: each op commits the order change and its outbox row together.
 * It talks to PostgreSQL through Toxiproxy, so "PostgreSQL slow or down" faults reach it.
 */
export function outboxOrderService(ctx: RunContext, write?: Pick<OrderWrite, "inTransaction">) {
  const pool = resilientPool({
    ...pgConfig(ctx.env, "proxied"),
    max: ctx.workload.concurrency,
    connectionTimeoutMillis: 3000,
    query_timeout: 5000,
  });
  const schema = schemaFor(ctx.runId),
    topic = topicFor(ctx.runId);
  return {
    pool,
    async invoke(op: OpSpec): Promise<Completion> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        return { outcome: "fail", error: `no connection: ${(e as Error).message}` }; // nothing was sent
      }
      try {
        // dgh's outbox row, unless the strategy writes its own in the same transaction.
        const how = write?.inTransaction ? write : { outboxTopic: topic };
        const ev = await commitOrderChange(client, schema, { id: op.id, key: op.key!, data: op.payload ?? "" }, how);
        return { outcome: "ok", value: { seq: ev.seq } };
      } catch (e) {
        // A failed COMMIT over a broken connection may still have committed: unknown, not fail.
        return { outcome: "info", error: (e as Error).message };
      } finally {
        client.release();
      }
    },
    async unpublished(): Promise<number> {
      const { rows } = await pool.query<{ n: string }>(
        `select count(*) n from ${schema}.dgh_outbox where published_at is null`,
      );
      return Number(rows[0]!.n);
    },
    close: () => pool.end(),
  };
}
