import { operations } from "../history/events.js";
import { faultRecords } from "../faults/fault-records.js";
import { AnomalyCollector, type Checker } from "./types.js";

/** Fewer measured ops than this in a window say nothing about progress. */
const minOps = 20;

/**
 * Liveness: a strategy that refuses every operation keeps no promise. With no fault in force the share of
 * measured ops that complete ok must stay at or above `floor`; after the last fault heals, ops must complete ok
 * again. Ops that failed or gave up are counted either way.
 */
export const progress = (floor = 0.5): Checker => ({
  name: "progress",
  names: ["no-progress"],
  check(history) {
    const a = new AnomalyCollector();
    // A fault that never ended lasts to the end of the history.
    const windows = faultRecords(history).map((f) => ({ startUs: f.startUs, endUs: f.endUs ?? Infinity }));
    const ops = operations(history).filter((o) => !o.warmup);
    const inFault = (t: number) => windows.some((w) => t >= w.startUs && t <= w.endUs);
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
    const after = Number.isFinite(lastHeal) ? ops.filter((o) => o.invokeT > lastHeal) : [];
    const afterOk = after.filter((o) => o.outcome === "ok").length;
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
