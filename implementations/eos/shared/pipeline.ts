import type pg from "pg";

/**
 * The payments pipeline of one run, isolated by its run id:
 *   <run>.payment-requests   input topic (the upstream producer, not under test)
 *   <run>.payments-approved  output topic (the processor's, consume-transform-produce)
 *   eos_<run>.dgh_applied    the sink's effects: one row per application (no unique key: a second row is a double charge)
 *   eos_<run>.dgh_balances   what each customer has been charged
 *   eos_<run>.sink_offsets   offsets-in-db: the next offset per output partition, written with the effects
 */
export const topicsFor = (runId: string) => ({
  input: `${runId}.payment-requests`,
  output: `${runId}.payments-approved`,
});
export const schemaFor = (runId: string) => `eos_${runId}`;
export const groupsFor = (runId: string) => ({ processor: `${runId}-processor`, sink: `${runId}-sink` });

export interface PaymentRequest {
  paymentId: string;
  customerId: string;
  amount: number;
  seq: number;
}
/** inputOffset: where the request sat on its input partition (a key's requests share one), for per-key order. */
export interface PaymentApproved extends PaymentRequest {
  approvedBy: string;
  inputOffset: string;
}

/** The transform: approve the request (its content is not what is under test; its once-ness is). */
export const approve = (r: PaymentRequest, by: string, inputOffset: string): PaymentApproved => ({
  ...r,
  approvedBy: by,
  inputOffset,
});

export async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`
    create schema ${schema};
    create table ${schema}.dgh_applied (id bigserial primary key, payment_id text not null, customer_id text not null, amount int not null,
      source text not null, applied_at timestamptz not null default clock_timestamp());
    create table ${schema}.dgh_balances (customer_id text primary key, charged int not null);
    create table ${schema}.sink_offsets (topic text, partition int, next_offset bigint not null, primary key (topic, partition));`);
}

/** Applies one approved payment in the caller's transaction. */
export async function apply(client: pg.PoolClient, schema: string, p: PaymentApproved, source: string): Promise<void> {
  await client.query(
    `insert into ${schema}.dgh_applied (payment_id, customer_id, amount, source) values ($1, $2, $3, $4)`,
    [p.paymentId, p.customerId, p.amount, source],
  );
  await client.query(
    `insert into ${schema}.dgh_balances (customer_id, charged) values ($1, $2)
    on conflict (customer_id) do update set charged = dgh_balances.charged + excluded.charged`,
    [p.customerId, p.amount],
  );
}
