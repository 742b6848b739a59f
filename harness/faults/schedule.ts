import { InputError } from "../util/errors.js";
import { Rng } from "../workload/rng.js";
import type { ScheduleSpec, TimedFault } from "./fault-spec.js";

/**
 * The run's fault timeline, fixed by the seed: the same scenario and seed give the same faults at the same times.
 * Nothing is scheduled to end after the measurement window, so every fault heals before quiesce.
 */
export function expandSchedule(spec: ScheduleSpec | undefined, measureS: number, seed: number): TimedFault[] {
  const out: TimedFault[] = [...(spec?.timeline ?? [])];
  const r = spec?.random;
  if (r) {
    const rng = new Rng(seed).fork(1);
    let at = r.everyS + (rng.next() * 2 - 1) * (r.jitterS ?? 0);
    while (at < measureS) {
      const forS = r.holdS[0] + rng.next() * (r.holdS[1] - r.holdS[0]);
      if (at + forS > measureS) break;
      out.push({ atS: round(at), forS: round(forS), fault: rng.pick(r.faults) });
      at += forS + r.everyS + (rng.next() * 2 - 1) * (r.jitterS ?? 0);
    }
  }
  for (const f of out) {
    if (f.atS < 0 || f.forS < 0) throw new InputError(`fault at ${f.atS}s for ${f.forS}s: times must be >= 0`);
    if (f.atS + f.forS > measureS) throw new InputError(`fault "${f.fault.kind}" at ${f.atS}s held ${f.forS}s ends after the ${measureS}s measurement: faults must heal before quiesce`);
  }
  return out.sort((a, b) => a.atS - b.atS);
}

const round = (x: number) => Math.round(x * 100) / 100;
