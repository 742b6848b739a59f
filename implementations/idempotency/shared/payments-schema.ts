import type pg from "pg";

/**
 * The payment gateway, simulated as a PostgreSQL ledger in a schema of its own per run:
 *   charges            one row per charge made (deliberately no unique key: a double charge is a second row)
 *   balances           what each customer has been charged in total
 *   processed_events   the db-unique guard's table (unique payment id), used by the strategies that want it
 */
export const schemaFor = (runId: string) => `idem_${runId}`;
export const topicFor = (runId: string) => `${runId}.payment-requests`;
/** The consumer group every consumer of the run joins (quiesce reads its lag). */
export const groupFor = (runId: string) => `${runId}-payments`;

export async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`
    create schema ${schema};
    create table ${schema}.dgh_charges (id bigserial primary key, payment_id text not null, customer_id text not null, amount int not null, charged_at timestamptz not null default clock_timestamp());
    create table ${schema}.dgh_balances (customer_id text primary key, charged int not null);
    create table ${schema}.dgh_processed_events (payment_id text primary key, processed_at timestamptz not null default now());`);
}

export interface PaymentRequest {
  paymentId: string;
  customerId: string;
  amount: number;
}

/** The side effect: charge the customer (a ledger row and the balance, in the caller's transaction). */
export async function charge(client: pg.PoolClient | pg.Client, schema: string, p: PaymentRequest): Promise<void> {
  await client.query(`insert into ${schema}.dgh_charges (payment_id, customer_id, amount) values ($1, $2, $3)`, [
    p.paymentId,
    p.customerId,
    p.amount,
  ]);
  await client.query(
    `insert into ${schema}.dgh_balances (customer_id, charged) values ($1, $2)
    on conflict (customer_id) do update set charged = dgh_balances.charged + excluded.charged`,
    [p.customerId, p.amount],
  );
}
