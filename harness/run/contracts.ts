import type { Environment } from "../env/environment.js";
import type { HistoryRecorder } from "../history/history-recorder.js";
import type { AnomalyName, Checker, Observation } from "../checkers/types.js";
import type { Claims } from "../checkers/claims.js";
import type { Recorder } from "../metrics/histogram.js";
import type { Rng } from "../workload/rng.js";
import type { Worker, WorkerSpec } from "../workers/worker.js";
import type { WorkloadSpec } from "../scenario/scenario.js";
import type { TimedFault } from "../faults/fault-spec.js";
import type { LatencyPoint } from "../metrics/recovery.js";
import type { OptionSpecs } from "./options.js";

/**
 * The contracts between the engine and the implementations. A pattern (implementations/<pattern>/pattern.ts)
 * owns the workload's operations, the downstream observer, the checkers and the raw baselines; a strategy
 * (implementations/<pattern>/<strategy>/strategy.ts) owns how the promise is kept, and states its claims.
 */

/** A stage of the pipeline that still holds work, and how much: quiesce waits until there is none. */
export interface Pending {
  stage: string;
  count: number;
}

/** One operation the workload asks for: its id is what checkers follow through the system. */
export interface OpSpec {
  f: string;
  id: string;
  key?: string;
  /** What the op means (e.g. { delta: -70 }): recorded in the history for the checkers. */
  value?: unknown;
  /** Filler bytes of the workload's payload size: sent, never recorded. */
  payload?: string;
}

export interface Completion {
  outcome: "ok" | "fail" | "info";
  value?: unknown;
  error?: string;
}

export interface RunContext {
  env: Environment;
  /** Short unique id; the isolation prefix for schemas, topics and Redis keys. */
  runId: string;
  dir: string;
  history: HistoryRecorder;
  metrics: Recorder;
  rng: Rng;
  workload: WorkloadSpec;
  /** Strategy options from the scenario (e.g. pollIntervalMs, batchSize, instances). */
  options: Record<string, unknown>;
  /** Starts a worker child process the faults can target by name. */
  spawnWorker(spec: WorkerSpec): Promise<Worker>;
  log(line: string): void;
}

/** A running strategy: it performs the client side of each op and says when it has nothing left to do. */
export interface StrategyRun {
  invoke(op: OpSpec): Promise<Completion>;
  /** True when the strategy has no pending work (e.g. no unpublished outbox rows); used to quiesce. */
  idle?(): Promise<boolean>;
  /** The strategy's stages that still hold work, with how much (e.g. a consumer group's lag); quiesce waits for none. */
  pending?(): Promise<Pending[]>;
  /** Strategy-specific figures for the report (e.g. relay queries/s, CPU ms). */
  stats?(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export interface Strategy {
  name: string;
  description: string;
  claims: Claims;
  /** A control is wrong on purpose: it must fail with the anomalies `expectedAnomalies` lists. */
  control?: { expectedAnomalies: AnomalyName[] };
  /** How long nothing may arrive before the run counts as quiet (default 1500 ms); slow-recovering relays need more. */
  quietMs?: number;
  /** The options it takes, with types, ranges, defaults and meaning: anything else in a scenario is bad input. */
  options?: OptionSpecs;
  /** Options it runs with unless the scenario sets them (the pattern sees them too, e.g. which reader is judged). */
  defaults?: Record<string, unknown>;
  /**
   * Its workload over the pattern's, where a case does not say: what it keeps up with on a small machine (Temporal's
   * dev server and TypeScript worker on 2 cores: 10 sagas/s). Shown in every report, so a low rate is visible.
   */
  workload?: Partial<WorkloadSpec>;
  /** Services beyond kafka/postgres/redis that it needs started. */
  needs?: ("connect" | "temporal")[];
  /** Worker names and their failpoints for these options, known before start, for validating the fault schedule. */
  workers?(options: Record<string, unknown>): Record<string, readonly string[]>;
  start(ctx: RunContext): Promise<StrategyRun>;
  /**
   * The conformance cases: under each of these fault schedules the strategy must keep its claims (or, for a
   * control, break them with one of its expected anomalies). Expectations live here, with the strategy.
   */
  conformance?: ConformanceCase[];
}

export interface ConformanceCase {
  name: string;
  faults: TimedFault[];
  options?: Record<string, unknown>;
  /** Measured seconds, when the faults need longer than the suite's default (e.g. a pause past a session timeout). */
  durationS?: number;
  /** Workload settings this case needs (e.g. hot keys and many clients to make writers collide). */
  workload?: Partial<WorkloadSpec>;
  /** Strategy figures the fault must have produced, as minimums (e.g. { "processor.fenced": 1 }): proof it bit. */
  expectFigures?: Record<string, number>;
  /** A case outside the strategy's claim: it must fail, with one of these anomalies (shows where the claim ends). */
  expectAnomalies?: AnomalyName[];
  /** How long quiesce may wait for pending work (default 45 s): a control whose work never drains needs less. */
  quiesceTimeoutS?: number;
  /** "full": run by `dgh conformance` and `npm run conformance:full`, left out of CI's tier to keep it short. */
  tier?: "full";
}

/** What a pattern's downstream side sees, observed after quiesce. */
export interface PatternRun {
  /** Called by the runner when an op completes ok, to measure end to end from the acknowledgement (not for warm-up ops). */
  acknowledged?(op: OpSpec, atUs: number, warmup: boolean): void;
  /** Count of distinct things that arrived so far: quiesce waits until it stops moving. */
  progress(): Promise<number>;
  /** How many committed things have not arrived yet (0 lets quiesce end at once). */
  outstanding?(): Promise<number>;
  /** Stages of the pattern's pipeline that still hold work (e.g. a sink behind the output topic). */
  pending?(): Promise<Pending[]>;
  observe(): Promise<Observation>;
  /** Arrival time and end-to-end latency of each first delivery of a measured op, for recovery times. */
  latencyPoints?(): LatencyPoint[];
  close(): Promise<void>;
}

export interface Baseline {
  name: string;
  opsPerS: number;
  latency?: { p50Us: number; p99Us: number };
  note: string;
}

export interface Pattern {
  name: string;
  description: string;
  /** Builds the i-th operation from the seeded rng (same seed, same operations). */
  nextOp(i: number, rng: Rng, workload: WorkloadSpec): OpSpec;
  /** Schema, topics, the downstream observer. Runs before the strategy starts. */
  setup(ctx: RunContext): Promise<PatternRun>;
  checkers(): Checker[];
  /** Share of measured ops that must complete ok while no fault is in force (default 0.5): below it, no-progress. */
  progressFloor?: number;
  /** Raw baselines measured in the same run (e.g. raw PostgreSQL commit, raw Kafka produce). */
  baselines?(ctx: RunContext, seconds: number): Promise<Baseline[]>;
  /**
   * The pattern's conformance profile: cases every strategy that claims the pattern's guarantee must survive, on
   * top of the ones it declares itself. They come from the pattern, not the strategy, so a strategy cannot pass by
   * choosing faults that miss its weak spot (harness/run/conformance-cases.ts joins the two).
   */
  profile?(strategy: Strategy): ConformanceCase[];
  /** How a black-box service in any language plugs into this pattern (harness/service/, CONTRACT.md). */
  service?: ServiceHost;
  /**
   * Its workload where a scenario, a flag or a conformance case does not say (e.g. sagas: 50 orders/s, where one
   * saga is several transactions and messages); the harness's defaults otherwise.
   */
  workload?: Partial<WorkloadSpec>;
  /**
   * The workload of the failpoint sweep's quiet cases (default 10 ops/s), where a quiet run would not reach the
   * failpoints otherwise (dead letters: one poison message a second at 10 ops/s).
   */
  quietWorkload?: Partial<WorkloadSpec>;
  /**
   * What a strategy costs besides latency, as strategy figures to show side by side (figure name → label, e.g.
   * relayQueriesPerS → "relay queries/s"): the comparison page's cost table.
   */
  costFigures?: Record<string, string>;
}

/**
 * The pattern's side of a black-box service (a relay in Go, a consumer in Python): the names the service is told
 * and the harness's part of each op (commit the order, put the payment request on the topic), so the service is
 * only the part under test.
 */
export interface ServiceHost {
  /** The worker the pattern's profile aims its faults at (e.g. "consumer"): a service's manifest must have it. */
  worker: string;
  /** The option the profile sets to run several of that worker (e.g. consumers: 2), if any. */
  instancesOption?: string;
  /** Environment variables naming the run's schema, tables, topics and group, beyond the endpoints every service gets. */
  env(ctx: RunContext): Record<string, string>;
  /** Starts the harness's side before the service's workers start; its `pending()` tells quiesce what the service still holds. */
  start(ctx: RunContext): Promise<StrategyRun>;
}
