import { operations } from "../history/events.js";
import { faultRecords } from "../faults/fault-records.js";
import { AnomalyCollector, type Checker } from "./types.js";

/** Fewer measured ops than this in a window say nothing about progress. */
const minOps = 20;
/** Clients reconnect after a fault heals (a Kafka producer after a broker restart: a few seconds): not judged. */
const recoveryGraceUs = 2_000_000;

/**
 * Liveness: a strategy that refuses every operation keeps no promise. With no fault in force the share of
 * measured ops that complete ok must stay at or above `floor`; once the last fault has healed (and 2 s of
 * recovery passed), ops must complete ok again. Ops that failed or gave up are counted either way.
 */
export const progress = (floor = 0.5): Checker => ({
  name: "progress",
  names: ["no-progress"],
  check(history) {
    const a = new AnomalyCollector();
    // A fault that never ended lasts to the end of the history.
    const windows = faultRecords(history).map((f) => ({ startUs: f.startUs, endUs: f.endUs ?? Infinity }));
    const ops = operations(history).filter((o) => !o.warmup);
    // A fault's window runs on until its clients have had time to recover.
    const inFault = (t: number) => windows.some((w) => t >= w.startUs && t <= w.endUs + recoveryGraceUs);
    const calm = ops.filter((o) => !inFault(o.invokeT));
    const calmOk = calm.filter((o) => o.outcome === "ok").length;
    if (calm.length >= minOps && calmOk / calm.length < floor) {
      a.add("no-progress", {
        window: "no fault in force",
        ok: calmOk,
        ops: calm.length,
        okShare: calmOk / calm.length,
        floor,
        firstErrors: [...new Set(calm.filter((o) => o.error).map((o) => o.error))].slice(0, 3),
      });
    }
    const lastHeal = Math.max(-Infinity, ...windows.map((w) => w.endUs));
    const healedAt = lastHeal + recoveryGraceUs;
    const after = Number.isFinite(lastHeal) ? ops.filter((o) => o.invokeT > healedAt) : [];
    // Any op that completed ok after the heal is progress, whenever it was sent: a backlog draining counts.
    const afterOk = ops.filter((o) => o.outcome === "ok" && (o.completeT ?? 0) > healedAt).length;
    if (after.length >= minOps && afterOk === 0) {
      a.add("no-progress", {
        window: "after the faults healed",
        ok: 0,
        ops: after.length,
        firstErrors: [...new Set(after.filter((o) => o.error).map((o) => o.error))].slice(0, 3),
      });
    }
    const count = (outcome: string) => ops.filter((o) => o.outcome === outcome).length;
    return a.verdict(this.name, {
      ok: count("ok"),
      failed: count("fail"),
      unknown: count("info"),
      okShareNoFault: calm.length ? calmOk / calm.length : 1,
      floor,
    });
  },
});
