import type { ScheduleSpec } from "../faults/fault-spec.js";
import type { ProviderName } from "../env/environment.js";

/** What the simulated users do. */
export interface WorkloadSpec {
  /** open: a fixed rate, latency measured from the intended start (no coordinated omission); closed: N clients in a loop. */
  mode: "open" | "closed";
  rateOpsPerS: number;
  concurrency: number;
  keyCount: number;
  /** Zipf exponent over keys: 0 uniform, ~1 a few hot keys. */
  keySkew: number;
  payloadBytes: number;
  /** Pattern-specific parameters (e.g. events per order). */
  params: Record<string, unknown>;
}

/** A scenario fully names a run: same scenario + seed = same operations and the same faults at the same times. */
export interface Scenario {
  name: string;
  pattern: string;
  strategy: string;
  /** A user's strategy module instead of a built-in one (its default export is a Strategy). */
  impl?: string;
  /** With a service manifest as `impl`: the command line that replaces its worker's (`--impl-cmd`). */
  implCmd?: string;
  options: Record<string, unknown>;
  workload: WorkloadSpec;
  faults: ScheduleSpec;
  durationS: number;
  warmupS: number;
  /** Bound on waiting for the system to go idle after the faults healed. */
  quiesceTimeoutS: number;
  /** Seconds per raw baseline (0 skips them). */
  baselineS: number;
  opTimeoutMs: number;
  seed: number;
  environment: ProviderName | "auto";
}

export const defaultWorkload: WorkloadSpec = {
  mode: "open",
  rateOpsPerS: 200,
  concurrency: 8,
  keyCount: 100,
  keySkew: 0,
  payloadBytes: 200,
  params: {},
};
