import { operations } from "../history/events.js";
import { AnomalyCollector, type Backoff, type Checker, type DeadLetter } from "./types.js";

/** What a dead letter must say about where it came from and why, so someone can act on it. */
const metadata = ["topic", "partition", "offset", "key", "error", "attempts"] as const;

/**
 * Every message ends exactly one way. Each acknowledged message is applied or dead-lettered (else `lost`), not both
 * by the consumer (`processed-and-dead-lettered`; applied by the reprocessor after its dead letter is the way back),
 * and applied at most once (`duplicate-effect`). A poison message is never applied and every dead letter names its
 * origin, its error and its attempts (`invariant-violation`). A message dead-lettered twice (a crash between the DLQ
 * write and the offset commit) is counted, not failed: the reprocessor must absorb it.
 */
export const deadLetterOutcomes: Checker = {
  name: "dead-letter-outcomes",
  names: ["lost", "processed-and-dead-lettered", "duplicate-effect", "invariant-violation"],
  check(history, obs) {
    if (!obs.effects || !obs.deadLetters) throw new Error("observation has no effects or no dead letters");
    const a = new AnomalyCollector();
    const applied = groupById(obs.effects);
    const dead = groupById(obs.deadLetters);
    const stats = {
      messages: 0,
      applied: 0,
      reprocessed: 0,
      deadLettered: 0,
      poisonDeadLettered: 0,
      healthyDeadLettered: 0,
      deadLetteredTwice: 0,
    };
    for (const o of operations(history)) {
      if (o.outcome !== "ok") continue;
      stats.messages++;
      const p = applied.get(o.id) ?? [],
        d = dead.get(o.id) ?? [];
      const byConsumer = p.filter((e) => e.via !== "reprocess");
      if (p.length) stats.applied++;
      if (p.length > byConsumer.length) stats.reprocessed++;
      if (d.length) stats.deadLettered++;
      if (d.length) stats[o.f === "poison" ? "poisonDeadLettered" : "healthyDeadLettered"]++;
      if (d.length > 1) stats.deadLetteredTwice++;
      if (!p.length && !d.length) a.add("lost", { id: o.id, f: o.f, rule: "applied or dead-lettered" });
      if (byConsumer.length && d.length)
        a.add("processed-and-dead-lettered", { id: o.id, applied: p, deadLetters: d.map(origin) });
      if (p.length > 1) a.add("duplicate-effect", { id: o.id, times: p.length, via: p.map((e) => e.via) });
      if (o.f === "poison" && p.length)
        a.add("invariant-violation", { id: o.id, rule: "a poison message is never applied", applied: p });
    }
    for (const d of obs.deadLetters) {
      const missing = metadata.filter((k) => d[k] === undefined || d[k] === "");
      if (missing.length)
        a.add("invariant-violation", { id: d.id, missing, rule: "a dead letter names its origin, error and attempts" });
    }
    return a.verdict(this.name, stats);
  },
};

/** The waits the backoff declares before each retry: exponential, capped per wait, stopping at the budget. */
export function declaredWaits(b: Backoff): number[] {
  const waits: number[] = [];
  for (let sum = 0; sum < b.maxElapsedMs; ) {
    const w = Math.min(b.initialMs * b.multiplier ** waits.length, b.maxIntervalMs);
    waits.push(w);
    sum += w;
  }
  return waits;
}

/** A retry may come this much early (timer granularity) before it counts as not having waited. */
const earlyMs = (declared: number) => declared * 0.1 + 5;

/**
 * Retries keep the declared backoff, read from the attempts each dead letter carries. A retry that came before its
 * wait, or retries past the budget, is `backoff-violated`; a retryable failure dead-lettered before the budget was
 * spent is `premature-dead-letter` (a dependency down for a second must not send healthy messages to the DLQ).
 * The backoff is a floor: a retry later than declared is measured (how precise the delays really are), not failed.
 */
export const backoffSchedule: Checker = {
  name: "backoff-schedule",
  names: ["backoff-violated", "premature-dead-letter"],
  check(_history, obs) {
    if (!obs.backoff || !obs.deadLetters) throw new Error("observation has no declared backoff or no dead letters");
    const a = new AnomalyCollector();
    const waits = declaredWaits(obs.backoff);
    const ratios: number[] = [];
    let lateMs = 0;
    for (const d of obs.deadLetters) {
      if (d.errorClass !== "retryable" || !d.attempts) continue;
      const tries = d.attempts;
      if (tries.length < waits.length + 1)
        a.add("premature-dead-letter", { ...origin(d), attempts: tries.length, declaredAttempts: waits.length + 1 });
      if (tries.length > waits.length + 1)
        a.add("backoff-violated", {
          ...origin(d),
          attempts: tries.length,
          declaredAttempts: waits.length + 1,
          rule: "retries stop at the budget",
        });
      for (let i = 1; i < Math.min(tries.length, waits.length + 1); i++) {
        const gap = tries[i]!.atMs - (tries[i - 1]!.atMs + tries[i - 1]!.ms);
        const declared = waits[i - 1]!;
        ratios.push(gap / declared);
        lateMs = Math.max(lateMs, gap - declared);
        if (gap < declared - earlyMs(declared))
          a.add("backoff-violated", { ...origin(d), retry: i, waitedMs: gap, declaredMs: declared, rule: "wait" });
      }
    }
    ratios.sort((x, y) => x - y);
    const at = (q: number) => (ratios.length ? ratios[Math.min(ratios.length - 1, Math.floor(q * ratios.length))]! : 0);
    return a.verdict(this.name, {
      declaredRetries: waits.length,
      waitsMeasured: ratios.length,
      waitRatioMin: at(0),
      waitRatioP50: at(0.5),
      waitRatioMax: at(1),
      latestByMs: Math.round(lateMs),
    });
  },
};

/** How long a partition's committed offset may stand still with messages behind it before it counts as stuck. */
export const stuckAfterMs = 10_000;

/** A partition whose consumer stood still for `stuckAfterMs` with messages waiting: `stuck-partition`, with its lag. */
export const partitionProgress: Checker = {
  name: "partition-progress",
  names: ["stuck-partition"],
  check(_history, obs) {
    if (!obs.partitions) throw new Error("observation has no partition progress");
    const a = new AnomalyCollector();
    for (const p of obs.partitions) if (p.lag > 0 && p.stillForMs >= stuckAfterMs) a.add("stuck-partition", p);
    return a.verdict(this.name, {
      partitions: obs.partitions.length,
      lag: obs.partitions.reduce((s, p) => s + p.lag, 0),
    });
  },
};

const origin = (d: DeadLetter) => ({ id: d.id, partition: d.partition, offset: d.offset, error: d.error });

function groupById<T extends { id: string }>(xs: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(x.id, [...(m.get(x.id) ?? []), x]);
  return m;
}
