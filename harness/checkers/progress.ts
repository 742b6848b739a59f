import { operations } from "../history/events.js";
import { faultRecords } from "../faults/fault-records.js";
import { AnomalyCollector, type Checker } from "./types.js";

/** Fewer measured ops than this in a window say nothing about progress. */
const minOps = 20;
/** Clients reconnect after a fault heals (a Kafka producer after a broker restart: a few seconds): not judged. */
const recoveryGraceUs = 2_000_000;

/**
 * Liveness: a strategy that refuses every operation keeps no promise. With no fault in force, of the ops that
 * got an answer (ok, or fail: definitely refused) at least `floor` must be ok, and some op must complete ok at
 * all; once the last fault has healed (and 2 s of recovery passed), ops must complete ok again.
 * An op that timed out (unknown) is no answer: on a machine too busy for the load generator (seen at load 15 on
 * 2 cores: 923 of 1,200 sends timed out, none refused) the strategy may not be what stalled. When most calm ops
 * timed out, progress cannot be told either way: unknown, never PASS.
 */
export const progress = (floor = 0.5): Checker => ({
  name: "progress",
  names: ["no-progress"],
  check(history) {
    const a = new AnomalyCollector();
    // A fault that never ended lasts to the end of the history.
    const windows = faultRecords(history).map((f) => ({ startUs: f.startUs, endUs: f.endUs ?? Infinity }));
    const ops = operations(history).filter((o) => !o.warmup);
    // A fault's window runs on until its clients have had time to recover. An op still waiting when a fault
    // began was answered under it (seen: PostgreSQL restarted at 3 s under load, orders sent at 1.5 s with 1.3 s
    // latency refused with "the database system is shutting down"): calm ops are those that saw no fault at all.
    const sawFault = (o: { invokeT: number; completeT?: number }) =>
      windows.some((w) => o.invokeT <= w.endUs + recoveryGraceUs && (o.completeT ?? Infinity) >= w.startUs);
    const calm = ops.filter((o) => !sawFault(o));
    const calmOk = calm.filter((o) => o.outcome === "ok").length;
    const answered = calmOk + calm.filter((o) => o.outcome === "fail").length;
    const refusing = answered >= minOps && calmOk / answered < floor;
    if (refusing || (calm.length >= minOps && calmOk === 0)) {
      a.add("no-progress", {
        window: "no fault in force",
        ok: calmOk,
        refused: answered - calmOk,
        unknown: calm.length - answered,
        okShareOfAnswered: answered ? calmOk / answered : 0,
        floor,
        firstErrors: [...new Set(calm.filter((o) => o.error).map((o) => o.error))].slice(0, 3),
      });
    }
    const lastHeal = Math.max(-Infinity, ...windows.map((w) => w.endUs));
    const healedAt = lastHeal + recoveryGraceUs;
    const after = Number.isFinite(lastHeal) ? ops.filter((o) => o.invokeT > healedAt) : [];
    // Any op that completed ok after the heal is progress, whenever it was sent: a backlog draining counts.
    const afterOk = ops.filter((o) => o.outcome === "ok" && (o.completeT ?? 0) > healedAt).length;
    const refusedAfter = after.filter((o) => o.outcome === "fail").length;
    const silentAfterHeal = after.length >= minOps && afterOk === 0;
    if (silentAfterHeal && refusedAfter > 0) {
      a.add("no-progress", {
        window: "after the faults healed",
        ok: 0,
        refused: refusedAfter,
        unknown: after.length - refusedAfter,
        firstErrors: [...new Set(after.filter((o) => o.error).map((o) => o.error))].slice(0, 3),
      });
    }
    const count = (outcome: string) => ops.filter((o) => o.outcome === outcome).length;
    // Most calm ops got no answer: the few that did cannot speak for the rest (seen: the stale-cache control on
    // a machine at load 16 answered 30 of 59 ops, 17 of them ok before its flaw set in, and passed).
    const calmTimedOut = calm.length - answered;
    const calmUntold = calm.length >= minOps && calmTimedOut > calm.length / 2;
    const verdict = a.verdict(this.name, {
      ok: count("ok"),
      failed: count("fail"),
      unknown: count("info"),
      okShareNoFault: answered ? calmOk / answered : 1,
      floor,
    });
    const untold = [
      calmUntold &&
        `${calmTimedOut} of ${calm.length} ops with no fault in force timed out: whether it made progress cannot be told`,
      // Every op after the heal timed out: it may have stalled, or the load generator may be what is stuck.
      silentAfterHeal &&
        refusedAfter === 0 &&
        `no op got an answer after the faults healed (${after.length} timed out, none refused, none ok): whether it recovered cannot be told`,
    ].filter((x): x is string => Boolean(x));
    if (!untold.length) return verdict;
    return { ...verdict, valid: verdict.valid === false ? false : "unknown", error: untold.join("; ") };
  },
});
