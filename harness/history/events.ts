/**
 * The history format (one JSON object per line in history.jsonl). Times are µs since the run started, from a
 * monotonic clock. Every operation is an invoke followed by at most one completion: ok (it happened),
 * fail (it definitely did not happen) or info (unknown: the default when in doubt, e.g. a timeout).
 */
export type Phase = "setup" | "warmup" | "measure" | "heal" | "quiesce" | "observe" | "check" | "done";

/** `intendedT`: in an open loop, when the op was due (latency counts from it, so a stall is charged to the system). */
export interface InvokeEvent {
  type: "invoke";
  t: number;
  op: number;
  f: string;
  id: string;
  key?: string;
  value?: unknown;
  warmup?: boolean;
  intendedT?: number;
}
export interface CompleteEvent {
  type: "ok" | "fail" | "info";
  t: number;
  op: number;
  f: string;
  id: string;
  value?: unknown;
  error?: string;
}
/** A fault's start: `id` is its place in the timeline, `detail` its spec. */
export interface FaultStartEvent {
  type: "fault-start";
  t: number;
  id: number;
  fault: string;
  detail: unknown;
}
/** A fault's end: applied (with proof) or failed (with the error): a fault that failed tested nothing. */
export interface FaultEndEvent {
  type: "fault-end";
  t: number;
  id: number;
  fault: string;
  outcome: "applied" | "failed";
  proof?: Record<string, unknown>;
  error?: string;
}
export type FaultEvent = FaultStartEvent | FaultEndEvent;
export interface PhaseEvent {
  type: "phase";
  t: number;
  phase: Phase;
  note?: string;
}
export interface LogEvent {
  type: "log";
  t: number;
  message: string;
}

export type HistoryEvent = InvokeEvent | CompleteEvent | FaultEvent | PhaseEvent | LogEvent;

/** One operation with its outcome, as checkers see it. A missing completion (crash) counts as info. */
export interface Op {
  op: number;
  f: string;
  id: string;
  key?: string;
  value?: unknown;
  outcome: "ok" | "fail" | "info";
  invokeT: number;
  completeT?: number;
  error?: string;
  warmup?: boolean;
}

const cache = new WeakMap<object, Op[]>();

/** Pairs invokes with completions (memoised per history array: several checkers ask for it). */
export function operations(history: readonly HistoryEvent[]): Op[] {
  const ops = cache.get(history) ?? pairOps(history);
  cache.set(history, ops);
  return ops;
}

function pairOps(history: readonly HistoryEvent[]): Op[] {
  const byOp = new Map<number, Op>();
  for (const e of history) {
    if (e.type === "invoke") {
      byOp.set(e.op, {
        op: e.op,
        f: e.f,
        id: e.id,
        key: e.key,
        value: e.value,
        outcome: "info",
        invokeT: e.t,
        warmup: e.warmup,
      });
    } else if (e.type === "ok" || e.type === "fail" || e.type === "info") {
      const o = byOp.get(e.op);
      if (o) {
        o.outcome = e.type;
        o.completeT = e.t;
        o.error = e.error;
        // What the completion learned (e.g. the version written) joins what the invoke meant (e.g. the delta).
        if (e.value !== undefined)
          o.value = isObject(o.value) && isObject(e.value) ? { ...o.value, ...e.value } : e.value;
      }
    }
  }
  return [...byOp.values()];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
