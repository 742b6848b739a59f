import { InputError } from "../util/errors.js";
import { Rng } from "../workload/rng.js";
import type { ScheduleSpec, TimedFault } from "./fault-spec.js";

const fail = (msg: string): never => {
  throw new InputError(msg);
};
/** Below this a nemesis cannot apply one fault before the next is due; it also bounds the timeline's length. */
const minGapS = 0.1;
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Bounds of a random schedule that make it finite and meaningful: a gap between faults, holds inside it. */
export function validateRandomSchedule(r: NonNullable<ScheduleSpec["random"]>): void {
  if (typeof r !== "object" || r === null)
    fail("faults.random must be an object { everyS, jitterS?, holdS: [min, max], faults: [...] }");
  if (!isNum(r.everyS) || r.everyS < minGapS)
    fail(
      `faults.random.everyS must be a number >= ${minGapS} (seconds between faults), got ${JSON.stringify(r.everyS)}`,
    );
  const jitter = r.jitterS ?? 0;
  if (!isNum(jitter) || jitter < 0 || jitter >= r.everyS)
    fail(`faults.random.jitterS must be >= 0 and < everyS (${r.everyS}), got ${JSON.stringify(r.jitterS)}`);
  const hold = r.holdS;
  if (
    !Array.isArray(hold) ||
    hold.length !== 2 ||
    !isNum(hold[0]) ||
    !isNum(hold[1]) ||
    hold[0] < 0 ||
    hold[1] < hold[0]
  ) {
    fail(`faults.random.holdS must be [min, max] seconds with 0 <= min <= max, got ${JSON.stringify(hold)}`);
  }
  if (hold[1] > r.everyS)
    fail(`faults.random.holdS max (${hold[1]}) must be <= everyS (${r.everyS}): a fault is held inside its gap`);
  if (!Array.isArray(r.faults) || !r.faults.length) fail("faults.random.faults must list at least one fault");
}

function validateTimed(f: TimedFault, measureS: number): void {
  if (typeof f !== "object" || f === null || !isNum(f.atS) || !isNum(f.forS))
    fail(`faults.timeline entries need numbers atS and forS and a fault, got ${JSON.stringify(f)}`);
  if (f.atS < 0 || f.forS < 0) fail(`fault at ${f.atS}s for ${f.forS}s: times must be >= 0`);
  if (f.atS + f.forS > measureS)
    fail(
      `fault "${f.fault?.kind}" at ${f.atS}s held ${f.forS}s ends after the ${measureS}s measurement: faults must heal before quiesce`,
    );
}

/**
 * The run's fault timeline, fixed by the seed: the same scenario and seed give the same faults at the same times.
 * Nothing is scheduled to end after the measurement window, so every fault heals before quiesce.
 */
export function expandSchedule(spec: ScheduleSpec | undefined, measureS: number, seed: number): TimedFault[] {
  const fixed = spec?.timeline ?? [];
  if (!Array.isArray(fixed)) fail("faults.timeline must be a list of { atS, forS, fault }");
  for (const f of fixed) validateTimed(f, measureS);
  const out: TimedFault[] = [...fixed];
  const r = spec?.random;
  if (r) {
    validateRandomSchedule(r);
    const rng = new Rng(seed).fork(1);
    const jitter = () => (rng.next() * 2 - 1) * (r.jitterS ?? 0);
    // everyS > jitterS, so each step moves forward by more than 0: the loop ends.
    let at = r.everyS + jitter();
    while (at < measureS) {
      const forS = r.holdS[0] + rng.next() * (r.holdS[1] - r.holdS[0]);
      if (at + forS > measureS) break;
      out.push({ atS: round(at), forS: round(forS), fault: rng.pick(r.faults) });
      at += forS + r.everyS + jitter();
    }
  }
  return out.sort((a, b) => a.atS - b.atS);
}

const round = (x: number) => Math.round(x * 100) / 100;
