import { operations } from "../history/events.js";
import { AnomalyCollector, type AnomalyName, type Checker } from "./types.js";

/**
 * Balances: the final balance of each key must equal the sum of its acknowledged deltas (ops whose value has
 * `delta`), give or take ops of unknown outcome; and never be negative.
 * A balance outside what the acknowledged ops allow is `mismatch` (lost-update for event sourcing; for a
 * payments ledger, charges not conserving the accepted payments is an invariant-violation).
 */
export const balances = (mismatch: "lost-update" | "invariant-violation" = "lost-update"): Checker => ({
  name: mismatch === "lost-update" ? "balances" : "conservation",
  names: [mismatch, "invariant-violation"],
  check(history, obs) {
    const a = new AnomalyCollector();
    const bounds = new Map<string, { ok: number; lo: number; hi: number; acked: number }>();
    for (const o of operations(history)) {
      const delta = (o.value as { delta?: number } | undefined)?.delta;
      if (o.key === undefined || typeof delta !== "number" || o.outcome === "fail") continue;
      const b = bounds.get(o.key) ?? { ok: 0, lo: 0, hi: 0, acked: 0 };
      if (o.outcome === "ok") {
        b.ok += delta;
        b.lo += delta;
        b.hi += delta;
        b.acked++;
      } else if (delta < 0) b.lo += delta;
      else b.hi += delta; // unknown: may or may not have happened
      bounds.set(o.key, b);
    }
    const final = obs.balances ?? {};
    for (const [key, b] of bounds) {
      const actual = final[key] ?? 0;
      if (actual < b.lo || actual > b.hi)
        a.add(mismatch, {
          key,
          actual,
          expected: b.lo === b.hi ? b.ok : [b.lo, b.hi],
          ackedOps: b.acked,
          rule: "balance == sum of acknowledged deltas",
        });
    }
    for (const [key, v] of Object.entries(final))
      if (v < 0) a.add("invariant-violation", { key, balance: v, rule: "balance >= 0" });
    for (const [key, v] of Object.entries(obs.lowestBalances ?? {})) {
      if (v < 0 && (final[key] ?? 0) >= 0)
        a.add("invariant-violation", { key, lowest: v, final: final[key], rule: "balance >= 0 at every version" });
    }
    return a.verdict(this.name, { keys: bounds.size });
  },
});

/** Two models that must agree key by key (read model vs source, snapshot+tail vs full replay). */
export const equivalence = (model: string, anomaly: Extract<AnomalyName, "diverged" | "stale-snapshot">): Checker => ({
  name: `${model}-equivalence`,
  names: [anomaly],
  check(_history, obs) {
    const m = obs.models?.[model];
    if (!m) throw new Error(`observation has no model "${model}" to compare`);
    const a = new AnomalyCollector();
    const keys = new Set([...Object.keys(m.expected), ...Object.keys(m.actual)]);
    for (const k of keys) {
      const e = JSON.stringify(m.expected[k] ?? null),
        x = JSON.stringify(m.actual[k] ?? null);
      if (e !== x) a.add(anomaly, { key: k, expected: m.expected[k] ?? null, actual: m.actual[k] ?? null });
    }
    return a.verdict(this.name, { keys: keys.size });
  },
});
