import { resilientPool } from "../../../harness/util/pg-pool.js";
import { commandInTransaction } from "../../../harness/util/pg-command.js";
import { pgConfig } from "../../../harness/env/environment.js";
import type { Completion, OpSpec, RunContext } from "../../../harness/run/contracts.js";
import { countUnpublished, writeOrderChange, schemaFor, topicFor, type OrderWrite } from "./outbox-schema.js";

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
    invoke: (op: OpSpec): Promise<Completion> =>
      commandInTransaction(pool, async (client) => {
        // dgh's outbox row, unless the strategy writes its own in the same transaction.
        const how = write?.inTransaction ? write : { outboxTopic: topic };
        const ev = await writeOrderChange(client, schema, { id: op.id, key: op.key!, data: op.payload ?? "" }, how);
        return { seq: ev.seq };
      }),
    unpublished: () => countUnpublished(pool, schema),
    close: () => pool.end(),
  };
}
