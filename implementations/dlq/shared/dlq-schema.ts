import type pg from "pg";
import type { Backoff } from "../../../harness/checkers/types.js";
import type { OptionSpecs } from "../../../harness/run/options.js";

/**
 * The payments a consumer applies, in a schema of its own per run:
 *   ledger     one row per payment applied, and by whom ("consumer", or "reprocess" of a dead letter)
 *   processed  the guard: a payment id applied once, whoever tries again (a retry, the reprocessor)
 *   balances   what each customer has paid in total
 * Topics: the payments, `<topic>.DLQ` with as many partitions (a dead letter keeps its partition), and the retry
 * topics of the strategies that have them.
 */
export const schemaFor = (runId: string) => `dlq_${runId}`;
export const topicFor = (runId: string) => `${runId}.payments`;
export const dlqTopicFor = (runId: string) => `${topicFor(runId)}.DLQ`;
/** The main consumer group: the observer watches its progress per partition (a stuck partition shows there). */
export const groupFor = (runId: string) => `${runId}-payments`;

export async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`
    create schema ${schema};
    create table ${schema}.dgh_ledger (id bigserial primary key, payment_id text not null, customer_id text not null, amount int not null, seq int not null, via text not null, applied_at timestamptz not null default clock_timestamp());
    create table ${schema}.dgh_processed (payment_id text primary key);
    create table ${schema}.dgh_balances (customer_id text primary key, paid int not null);`);
}

export interface Payment {
  id: string;
  customer: string;
  amount: number;
}

/** Headers every payment carries: its id even when its payload is unreadable, as a CloudEvents id would. */
export const idHeader = "dgh-id";

/** A message that fails every time: a malformed payload (fatal, never retried) or a business rule (retried). */
export class PoisonError extends Error {
  constructor(
    message: string,
    readonly fatal: boolean,
  ) {
    super(message);
  }
}

/** Reads and validates a payment: what a real handler does before it touches the database. */
export function parsePayment(value: Buffer | null): Payment {
  let p: Payment;
  try {
    p = JSON.parse(String(value)) as Payment;
  } catch {
    throw new PoisonError("malformed payload: not JSON", true);
  }
  if (!(p.amount > 0)) throw new PoisonError(`business rule: amount must be positive, got ${p.amount}`, false);
  return p;
}

/**
 * Applies a payment once, in one transaction: the guard row, the ledger row, the balance. False: already applied.
 * `offset` is the message's on the payments topic: per key, a consumer that keeps order applies them increasing.
 */
export async function applyPayment(
  pool: pg.Pool,
  schema: string,
  p: Payment,
  how: { via: "consumer" | "reprocess"; offset: string },
): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    const fresh = await client.query(
      `insert into ${schema}.dgh_processed (payment_id) values ($1) on conflict do nothing`,
      [p.id],
    );
    if (fresh.rowCount === 1) {
      await client.query(
        `insert into ${schema}.dgh_ledger (payment_id, customer_id, amount, seq, via) values ($1, $2, $3, $4, $5)`,
        [p.id, p.customer, p.amount, Number(how.offset), how.via],
      );
      await client.query(
        `insert into ${schema}.dgh_balances (customer_id, paid) values ($1, $2)
        on conflict (customer_id) do update set paid = dgh_balances.paid + excluded.paid`,
        [p.customer, p.amount],
      );
    }
    await client.query("commit");
    client.release();
    return fresh.rowCount === 1;
  } catch (e) {
    await client.query("rollback").catch(() => {});
    client.release(e as Error); // a connection that failed is not given to the next message
    throw e;
  }
}

/** The described configuration (1 s, ×2, at most 60 s per wait, 5 min in all), time-scaled so a run takes seconds. */
export const backoffOptions: OptionSpecs = {
  initialMs: { type: "integer", min: 1, max: 600_000, default: 1000, description: "first wait before a retry" },
  multiplier: { type: "number", min: 1, max: 10, default: 2, description: "each wait this many times the last" },
  maxIntervalMs: { type: "integer", min: 1, max: 3_600_000, default: 60_000, description: "longest single wait" },
  maxElapsedMs: {
    type: "integer",
    min: 1,
    max: 86_400_000,
    default: 300_000,
    description: "retry budget: no retry once the waits add up to this; then the message is dead-lettered",
  },
  timeScale: {
    type: "number",
    min: 0.0001,
    max: 1,
    default: 0.005,
    description: "every wait and the budget multiplied by this (0.005: 5 ms first wait, 1.5 s budget)",
  },
};

/** The backoff a run declares, scaled: what the strategy must keep and what backoff-schedule checks. */
export function backoffOf(o: Record<string, unknown>): Backoff {
  const scale = Number(o.timeScale ?? 0.005);
  return {
    initialMs: Number(o.initialMs ?? 1000) * scale,
    multiplier: Number(o.multiplier ?? 2),
    maxIntervalMs: Number(o.maxIntervalMs ?? 60_000) * scale,
    maxElapsedMs: Number(o.maxElapsedMs ?? 300_000) * scale,
  };
}

/** The wait before retry `n` (1-based), or undefined once the waits so far have reached the budget. */
export function waitBefore(b: Backoff, n: number): number | undefined {
  let spent = 0;
  for (let i = 1; i < n; i++) spent += Math.min(b.initialMs * b.multiplier ** (i - 1), b.maxIntervalMs);
  return spent >= b.maxElapsedMs ? undefined : Math.min(b.initialMs * b.multiplier ** (n - 1), b.maxIntervalMs);
}
