import type { HistoryEvent } from "../history/events.js";

/** The anomalies dgh names. One word, one meaning (DESIGN.md). */
export type AnomalyName =
  | "lost" // acknowledged or committed, never delivered / applied
  | "duplicate-delivery" // delivered more than once (allowed under at-least-once, counted)
  | "duplicate-effect" // applied more than once (the double charge)
  | "phantom" // delivered but never committed
  | "reordered" // a key's events arrived out of order
  | "aborted-read" // a reader saw a write of an aborted transaction
  | "lost-update" // final state disagrees with the acknowledged operations
  | "invariant-violation" // a state rule broke (e.g. negative balance)
  | "diverged" // a read model / snapshot differs from the source of truth
  | "stale-snapshot" // snapshot + tail differs from a full replay
  | "partial-saga" // a saga ended neither completed nor fully undone (stock held or money taken for a cancelled order)
  | "stuck-saga" // a saga still not in a terminal state after quiesce
  | "double-compensation" // a compensation applied twice, or without the step it undoes (a refund without a charge)
  | "processed-and-dead-lettered" // a message both applied and sent to the dead-letter queue
  | "premature-dead-letter" // dead-lettered for a retryable error before its retry budget was spent
  | "backoff-violated" // a retry came before its declared wait, or retries went on past the declared budget
  | "stuck-partition" // a partition's consumer made no progress while messages waited behind its head
  | "non-monotonic" // a reader saw a row go back to an older version (or vanish) after it had seen a newer one
  | "no-progress"; // the system (almost) stopped completing operations with no fault in force, or after they healed

/** What consumers received (one entry per receipt, in arrival order). */
export interface Delivery {
  id: string;
  key?: string;
  seq?: number;
  partition?: number;
  offset?: string;
  atMs?: number;
}
/** A side effect applied by a consumer (one entry per application, e.g. one charges row). */
export interface Effect {
  id: string;
  amount?: number;
  /** Who applied it, where a pattern has several paths (e.g. "consumer" or "reprocess" of a dead letter). */
  via?: string;
}

/** What the checkers read after the run has quiesced. Each pattern fills the parts it has. */
export interface Observation {
  committed?: string[]; // ids durably in the source of truth (e.g. orders rows)
  deliveries?: Delivery[];
  effects?: Effect[];
  /** Records written by transactions known to have aborted; with a position, only a receipt at that position counts. */
  aborted?: { id: string; partition?: number; offset?: string }[];
  balances?: Record<string, number>; // final state per key, for lost-update / invariant checks
  lowestBalances?: Record<string, number>; // the lowest balance each key ever had (a dip below zero is a violation even if it recovered)
  /** Each saga as its participants and its order service left it (the saga pattern). */
  sagas?: SagaRecord[];
  /** Stock per SKU: what it started with, what is left, and the lowest it ever was. */
  stock?: Record<string, { initial: number; available: number; lowest: number }>;
  /** Every record on the dead-letter queue (the dlq pattern), and the retry schedule the strategy declared. */
  deadLetters?: DeadLetter[];
  backoff?: Backoff;
  /** The main consumer group per partition after quiesce: how far behind, and for how long it had not moved. */
  partitions?: PartitionProgress[];
  /** A read model and the fold of its write model, per key (the projection pattern). */
  readModel?: { expected: Record<string, SummaryRow>; actual: Record<string, SummaryRow> };
  /** What readers saw of each row, in order: each version once, when it changed (0: the row was absent). */
  versionsSeen?: Record<string, number[]>;
  /** Pairs of models that must be equal per key: [expected, actual]. */
  models?: Record<string, { expected: Record<string, unknown>; actual: Record<string, unknown> }>;
}

/** A saga after quiesce: the order service's status and every effect a participant applied for it, in order. */
export interface SagaRecord {
  id: string;
  /** "completed" and "compensated" are terminal; anything else is still running. */
  status: string;
  effects: { kind: "reserve" | "release" | "charge" | "refund"; amount: number; sku?: string }[];
}

/** A customer's order summary, as a projection keeps it: folded from the customer's events in version order. */
export interface SummaryRow {
  orders: number;
  total: number;
  /** The type of the last event applied. */
  status: string;
  /** The version of the last event applied (the write side numbers each customer's events 1, 2, 3…). */
  version: number;
  /** How many events were applied: more than were committed is a double count. */
  events: number;
}

/** A dead letter as it sits on `<topic>.DLQ`: where it came from, why, and each attempt made before giving up. */
export interface DeadLetter {
  id: string;
  key?: string;
  topic?: string;
  partition?: number;
  offset?: string;
  error?: string;
  /** "fatal": never retried (a malformed payload); "retryable": given up after the backoff. */
  errorClass?: string;
  /** Wall-clock start and duration of each attempt, in ms. */
  attempts?: { atMs: number; ms: number }[];
}

/** Exponential backoff: wait n is min(initialMs × multiplier^(n−1), maxIntervalMs); no wait once the waits reach maxElapsedMs. */
export interface Backoff {
  initialMs: number;
  multiplier: number;
  maxIntervalMs: number;
  maxElapsedMs: number;
}

export interface PartitionProgress {
  partition: number;
  lag: number;
  /** How long its committed offset had not moved when observed (ms). */
  stillForMs: number;
  /** The offset it is stuck at (the first message not committed). */
  headOffset?: number;
}

export interface Anomaly {
  name: AnomalyName;
  count: number;
  /** Its examples, with ids, keys, offsets and times: enough to go and look (run.json keeps the first 50). */
  evidence: unknown[];
}

export interface Verdict {
  checker: string;
  /** false beats unknown beats true; a checker that throws gives unknown, never true. */
  valid: boolean | "unknown";
  anomalies: Anomaly[];
  stats: Record<string, number>;
  error?: string;
}

export interface Checker {
  name: string;
  /** The anomalies this checker can name (each has a test that makes it name it). */
  names: readonly AnomalyName[];
  check(history: readonly HistoryEvent[], observation: Observation): Verdict;
}

/** Evidence kept per anomaly in run.json; every item is in anomalies.jsonl beside it (harness/record/anomaly-evidence.ts). */
export const EVIDENCE_IN_RECORD = 50;

/** Collects every anomaly with its evidence. */
export class AnomalyCollector {
  private map = new Map<AnomalyName, Anomaly>();
  add(name: AnomalyName, evidence: unknown): void {
    const a = this.map.get(name) ?? { name, count: 0, evidence: [] };
    this.map.set(name, a);
    a.count++;
    a.evidence.push(evidence);
  }
  verdict(checker: string, stats: Record<string, number>): Verdict {
    const anomalies = [...this.map.values()];
    return { checker, valid: anomalies.length === 0, anomalies, stats };
  }
}
