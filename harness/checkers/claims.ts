import type { AnomalyName, Verdict } from "./types.js";

/** What a strategy promises. The harness verifies exactly these; everything else it sees is reported, not failed. */
export interface Claims {
  delivery?: "at-most-once" | "at-least-once" | "exactly-once";
  effects?: "exactly-once";
  ordering?: "per-key";
  /** State stays consistent: no lost update, invariants hold, models agree. */
  state?: "consistent";
  /** Every saga ends completed or fully compensated, none stays running, no compensation applies twice. */
  sagas?: "atomic";
  /** Retries wait at least the declared backoff and stop at its budget; a retryable failure is never dead-lettered sooner. */
  retries?: "declared-backoff";
  /** A reader never sees a row go back to an older version. */
  reads?: "monotonic";
}

/** Which claims each anomaly breaks. */
const breaks: Record<AnomalyName, (c: Claims) => boolean> = {
  lost: (c) => c.delivery === "at-least-once" || c.delivery === "exactly-once" || c.effects === "exactly-once",
  "duplicate-delivery": (c) => c.delivery === "exactly-once",
  "duplicate-effect": (c) => c.effects === "exactly-once",
  phantom: (c) => c.delivery !== undefined,
  reordered: (c) => c.ordering === "per-key",
  "aborted-read": (c) => c.delivery === "exactly-once",
  "lost-update": (c) => c.state === "consistent",
  "invariant-violation": (c) => c.state === "consistent" || c.effects === "exactly-once",
  diverged: (c) => c.state === "consistent",
  "stale-snapshot": (c) => c.state === "consistent",
  "partial-saga": (c) => c.sagas === "atomic",
  "stuck-saga": (c) => c.sagas === "atomic",
  "double-compensation": (c) => c.sagas === "atomic" || c.effects === "exactly-once",
  "processed-and-dead-lettered": (c) => c.effects === "exactly-once" || c.delivery === "exactly-once",
  "premature-dead-letter": (c) => c.retries === "declared-backoff",
  "backoff-violated": (c) => c.retries === "declared-backoff",
  // A consumer that stops consuming keeps no promise, like one that refuses every operation.
  "stuck-partition": () => true,
  "non-monotonic": (c) => c.reads === "monotonic",
  // Every strategy promises to do its work: one that refuses every operation keeps no promise at all.
  "no-progress": () => true,
};

/** Every anomaly a checker can name (for validating what a manifest or case expects). */
export const anomalyNames = Object.keys(breaks) as AnomalyName[];

export function describeClaims(c: Claims): string {
  return (
    [
      c.delivery && `delivery ${c.delivery}`,
      c.effects && `effects ${c.effects}`,
      c.ordering && `ordering ${c.ordering}`,
      c.state && `state ${c.state}`,
      c.sagas && `sagas ${c.sagas}`,
      c.retries && `retries ${c.retries}`,
      c.reads && `reads ${c.reads}`,
    ]
      .filter(Boolean)
      .join(", ") || "no claims"
  );
}

export interface Judgement {
  result: "pass" | "fail" | "unknown";
  /** Faults that did not apply (or never showed an outcome): the run did not test what it says. */
  faultsNotApplied: { fault: string; error: string }[];
  /** Anomalies that break a claim: why the run failed. */
  violations: { anomaly: AnomalyName; count: number; checker: string }[];
  /** Anomalies seen that the claims allow (e.g. duplicates under at-least-once): counted, not failed. */
  allowed: { anomaly: AnomalyName; count: number; checker: string }[];
  unknown: { checker: string; error?: string }[];
}

/** What the judgement needs besides the verdicts: which faults applied, and whether the pipeline drained. */
export interface RunFacts {
  faultsNotApplied: { fault: string; error: string }[];
  /** Work still pending in a stage when quiesce gave up: missing ids may still arrive, so `lost` is undecided. */
  pending: { stage: string; count: number }[];
}

/**
 * false beats unknown beats true: one violated claim fails the run; a checker that could not decide, a fault
 * that did not apply, or a loss counted while work was still pending makes it unknown.
 */
export function judge(claims: Claims, verdicts: readonly Verdict[], facts: RunFacts): Judgement {
  const j: Judgement = {
    result: "pass",
    faultsNotApplied: facts.faultsNotApplied,
    violations: [],
    allowed: [],
    unknown: [],
  };
  const pending = facts.pending.map((p) => `${p.count} pending in ${p.stage}`).join(", ");
  for (const v of verdicts) {
    if (v.valid === "unknown") j.unknown.push({ checker: v.checker, error: v.error });
    for (const a of v.anomalies) {
      const entry = { anomaly: a.name, count: a.count, checker: v.checker };
      if (!breaks[a.name](claims)) j.allowed.push(entry);
      else if (a.name === "lost" && pending)
        j.unknown.push({
          checker: v.checker,
          error: `lost ×${a.count} undecided: the pipeline had not drained (${pending})`,
        });
      else j.violations.push(entry);
    }
  }
  for (const f of facts.faultsNotApplied)
    j.unknown.push({ checker: "nemesis", error: `fault ${f.fault} did not apply: ${f.error}` });
  j.result = j.violations.length ? "fail" : j.unknown.length ? "unknown" : "pass";
  return j;
}
