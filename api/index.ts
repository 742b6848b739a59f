/**
 * dgh's API for a strategy written outside this repository (`import … from "dgh"`): the contracts a strategy
 * implements and the helpers that reach the run's services. The worker runtime is "dgh/worker"; each pattern's
 * own helpers are "dgh/<pattern>" (what they mean: implementations/<pattern>/CONTRACT.md).
 */
export type {
  Strategy,
  StrategyRun,
  RunContext,
  OpSpec,
  Completion,
  ConformanceCase,
  Pending,
  Pattern,
} from "../harness/run/contracts.js";
export type { Claims } from "../harness/checkers/claims.js";
export type { AnomalyName } from "../harness/checkers/types.js";
export type { OptionSpecs } from "../harness/run/options.js";
export type { TimedFault } from "../harness/faults/fault-spec.js";
export { endpoint, kafkaBrokers, pgConfig, redisUrl } from "../harness/env/environment.js";
export { sumWorkerStats } from "../harness/workers/worker-stats.js";
export { numberedWorker, workerSet } from "../harness/workers/worker-set.js";
