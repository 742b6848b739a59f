import type { HistoryEvent } from "../history/events.js";
import type { Checker, Observation, Verdict } from "./types.js";

/** Runs every checker; one that throws gives an unknown verdict with its error, never a pass. */
export function runCheckers(
  checkers: readonly Checker[],
  history: readonly HistoryEvent[],
  observation: Observation,
): Verdict[] {
  return checkers.map((c) => {
    const t0 = performance.now();
    try {
      const v = c.check(history, observation);
      v.stats.checkMs = Math.round(performance.now() - t0);
      return v;
    } catch (e) {
      return {
        checker: c.name,
        valid: "unknown",
        anomalies: [],
        stats: {},
        error: e instanceof Error ? e.message : String(e),
      };
    }
  });
}
