import type { AnomalyName, Verdict } from "./types.js";

/** What a strategy promises. The harness verifies exactly these; everything else it sees is reported, not failed. */
export interface Claims {
  delivery?: "at-most-once" | "at-least-once" | "exactly-once";
  effects?: "exactly-once";
  ordering?: "per-key";
  /** State stays consistent: no lost update, invariants hold, models agree. */
  state?: "consistent";
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
};

export function describeClaims(c: Claims): string {
  return [c.delivery && `delivery ${c.delivery}`, c.effects && `effects ${c.effects}`, c.ordering && `ordering ${c.ordering}`, c.state && `state ${c.state}`]
    .filter(Boolean).join(", ") || "no claims";
}

export interface Judgement {
  result: "pass" | "fail" | "unknown";
  /** Anomalies that break a claim: why the run failed. */
  violations: { anomaly: AnomalyName; count: number; checker: string }[];
  /** Anomalies seen that the claims allow (e.g. duplicates under at-least-once): counted, not failed. */
  allowed: { anomaly: AnomalyName; count: number; checker: string }[];
  unknown: { checker: string; error?: string }[];
}

/** false beats unknown beats true: one violated claim fails the run; a checker that could not decide makes it unknown. */
export function judge(claims: Claims, verdicts: readonly Verdict[]): Judgement {
  const j: Judgement = { result: "pass", violations: [], allowed: [], unknown: [] };
  for (const v of verdicts) {
    if (v.valid === "unknown") j.unknown.push({ checker: v.checker, error: v.error });
    for (const a of v.anomalies) (breaks[a.name](claims) ? j.violations : j.allowed).push({ anomaly: a.name, count: a.count, checker: v.checker });
  }
  j.result = j.violations.length ? "fail" : j.unknown.length ? "unknown" : "pass";
  return j;
}
