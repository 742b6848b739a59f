import type pg from "pg";
import { pgConfig } from "../../../harness/env/environment.js";
import type { Completion, OpSpec, RunContext } from "../../../harness/run/contracts.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { commandInTransaction } from "../../../harness/util/pg-command.js";
import { countUnpublished } from "../../outbox/shared/outbox-schema.js";
import { eventType, type OrderEvent, schemaFor } from "./projection-schema.js";

/**
 * The write side: each command commits one event of a customer in one transaction: the customer's next version
 * (a row lock: one customer's events commit in version order), the event, and its outbox row, which the outbox
 * pattern's polling relay publishes (key: the customer). It talks to PostgreSQL directly: the faults cut the read
 * side's links, and a restart of PostgreSQL reaches both.
 */
export function writeSide(ctx: RunContext) {
  const pool = resilientPool({
    ...pgConfig(ctx.env, "direct"),
    max: ctx.workload.concurrency,
    connectionTimeoutMillis: 3000,
    query_timeout: 5000,
  });
  const schema = schemaFor(ctx.runId);
  return {
    pool,
    invoke: (op: OpSpec): Promise<Completion> =>
      commandInTransaction(pool, async (client) => ({ version: (await writeEvent(client, schema, op)).version })),
    unpublished: () => countUnpublished(pool, schema),
    close: () => pool.end(),
  };
}

/** The command's event, its customer's next version and its outbox row, inside the caller's transaction. */
async function writeEvent(client: pg.PoolClient, schema: string, op: OpSpec): Promise<OrderEvent> {
  const amount = (op.value as { amount: number }).amount;
  const { rows } = await client.query<{ version: number }>(
    `insert into ${schema}.dgh_customers (id, version) values ($1, 1)
     on conflict (id) do update set version = dgh_customers.version + 1 returning version`,
    [op.key],
  );
  const ev: OrderEvent = {
    eventId: op.id,
    customer: op.key!,
    version: rows[0]!.version,
    type: eventType[op.f as keyof typeof eventType],
    amount,
  };
  await client.query(
    `insert into ${schema}.dgh_events (event_id, customer, version, type, amount) values ($1, $2, $3, $4, $5)`,
    [ev.eventId, ev.customer, ev.version, ev.type, ev.amount],
  );
  await client.query(
    `insert into ${schema}.dgh_outbox (event_id, aggregatetype, aggregateid, type, seq, payload) values ($1, 'customer', $2, $3, $4, $5)`,
    [ev.eventId, ev.customer, ev.type, ev.version, JSON.stringify(ev)],
  );
  return ev;
}
