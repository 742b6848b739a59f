import { FaultNotApplied } from "./fault-kind.js";
import type { Worker } from "../workers/worker.js";

/**
 * What a failpoint's firing proves: the work the worker said it held mid-step there. A worker that says it held
 * none (a crash between two steps of nothing) did not test the step, so the fault did not apply.
 */
export function firedWithWork(w: Worker, failpoint: string): { inFlight?: number } {
  const inFlight = w.fired()?.inFlight;
  if (inFlight === 0)
    throw new FaultNotApplied(`${w.spec.name} reached ${failpoint} with no work in flight: the step was not tested`);
  return inFlight === undefined ? {} : { inFlight };
}
