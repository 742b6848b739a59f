import type { FaultSpec } from "./fault-kind.js";

export type { FaultContext, FaultSpec } from "./fault-kind.js";
export { faultName, validateFault } from "./fault-kinds.js";

/** A fault placed on the run's timeline: `atS` seconds into the measurement, held `forS` seconds. */
export interface TimedFault {
  atS: number;
  forS: number;
  fault: FaultSpec;
}

/** A schedule: fixed entries, and/or "every mean±jitter s, one of these faults, held min–max s" drawn from the seed. */
export interface ScheduleSpec {
  timeline?: TimedFault[];
  random?: { everyS: number; jitterS?: number; holdS: [number, number]; faults: FaultSpec[] };
}
