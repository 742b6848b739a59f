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
