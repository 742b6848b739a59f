import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { EnvironmentError, type Environment } from "../env/environment.js";
import { openEnvironment } from "../env/select.js";
import { repoRoot } from "../env/stack-paths.js";
import { HistoryRecorder } from "../history/history-recorder.js";
import { readHistory } from "../history/reader.js";
import type { HistoryEvent } from "../history/events.js";
import { recoveryTimes } from "../metrics/recovery.js";
import { Recorder, type LatencySummary } from "../metrics/histogram.js";
import { Rng } from "../workload/rng.js";
import { Driver, type DriveResult } from "../workload/driver.js";
import { expandSchedule } from "../faults/schedule.js";
import { validateFault, type TimedFault } from "../faults/fault-spec.js";
import { Nemesis } from "../faults/nemesis.js";
import { runCheckers } from "../checkers/run-checkers.js";
import { judge, type Claims, type Judgement } from "../checkers/claims.js";
import type { Verdict } from "../checkers/types.js";
import { Worker, type WorkerSpec } from "../workers/worker.js";
import { loadPattern, loadStrategy } from "./catalog.js";
import type { Baseline, PatternRun, RunContext, StrategyRun } from "./contracts.js";
import type { Scenario } from "../scenario/scenario.js";
import { writeReports } from "../report/write-reports.js";
import { sleep } from "../util/wait.js";

/** Everything a report needs besides the history; written to run.json. */
export interface RunResult {
  runDir: string;
  scenario: Scenario;
  strategy: { name: string; description: string; claims: Claims; control?: { expectedAnomalies: string[] } };
  judgement: Judgement;
  verdicts: Verdict[];
  timeline: TimedFault[];
  measure: Omit<DriveResult, "series"> & { okPerS: number; series: number[] };
  latency: Record<string, LatencySummary>;
  histograms: Record<string, string>;
  baselines: Baseline[];
  /** Per fault (in start order): ms from its end until end-to-end latency was back to normal; null = never. */
  recoveryMs: (number | undefined)[];
  strategyStats: Record<string, number>;
  quiesce: { idle: boolean; waitedMs: number; boundS: number };
  environment: { provider: string; kafkaVersion?: string; startMs?: Record<string, number> };
  reproduce: string;
  startedAt: string;
  wallMs: number;
}

export interface RunOptions {
  /** Reuse an environment (tests, sweeps); otherwise one is opened and torn down for this run. */
  env?: Environment;
  reportsDir?: string;
  log?: (line: string) => void;
  progressEveryMs?: number;
}

export function reproduceCommand(runDir: string): string {
  return `bin/dgh replay ${path.relative(process.cwd(), runDir) || runDir}`;
}

/** set up → warm up → measure with faults → heal → quiesce → observe → check → report. */
export async function runScenario(scenario: Scenario, opts: RunOptions = {}): Promise<RunResult> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const startedAt = new Date();
  const t0 = performance.now();
  const pattern = await loadPattern(scenario.pattern);
  const strategy = await loadStrategy(scenario.pattern, scenario.strategy, scenario.impl);
  const timeline = expandSchedule(scenario.faults, scenario.durationS, scenario.seed);
  const options = { ...strategy.defaults, ...scenario.options };
  const workerFailpoints = strategy.workers?.(options) ?? {};
  for (const f of timeline) {
    validateFault(f.fault, { services: ["kafka", "postgres", "redis", ...(strategy.needs ?? [])], workers: Object.keys(workerFailpoints), failpoints: workerFailpoints });
  }

  const runId = `r${crypto.randomBytes(3).toString("hex")}`;
  const stamp = startedAt.toISOString().replace(/[:.]/g, "-").slice(0, 19);
  const runDir = path.join(opts.reportsDir ?? path.join(repoRoot, "reports"), `${stamp}-${scenario.pattern}-${scenario.strategy}-seed${scenario.seed}`);
  fs.mkdirSync(runDir, { recursive: true });
  fs.writeFileSync(path.join(runDir, "scenario.json"), JSON.stringify(scenario, null, 2));
  log(`[dgh] seed ${scenario.seed}  run ${runDir}`);
  log(`[dgh] ${scenario.pattern}/${strategy.name}: ${scenario.durationS}s measured after ${scenario.warmupS}s warm-up, ${timeline.length} fault(s)`);

  const history = new HistoryRecorder(path.join(runDir, "history.jsonl"));
  const metrics = new Recorder();
  const workers = new Map<string, Worker>();
  const ownEnv = !opts.env;
  let env: Environment | undefined = opts.env;
  const cleanups: (() => Promise<void>)[] = [];
  try {
    history.phase("setup");
    env ??= await openEnvironment(scenario.environment, { log: (l) => log(`[env] ${l}`) }).catch((e: Error) => {
      // Nothing ran: leave no half-written run folder behind.
      history.close();
      fs.rmSync(runDir, { recursive: true, force: true });
      throw new EnvironmentError(`the ${scenario.environment} environment could not start: ${e.message}`);
    });
    if (strategy.needs?.includes("connect")) await env.ensureConnect();
    const ctx: RunContext = {
      env, runId, dir: runDir, history, metrics, rng: new Rng(scenario.seed), workload: scenario.workload, options,
      log: (l) => log(`[${strategy.name}] ${l}`),
      spawnWorker: async (spec: WorkerSpec) => {
        if (workers.has(spec.name)) throw new Error(`worker name ${spec.name} used twice`);
        const w = new Worker(spec, runDir);
        workers.set(spec.name, w);
        await w.start();
        return w;
      },
    };

    const baselines = scenario.baselineS > 0 && pattern.baselines ? await pattern.baselines(ctx, scenario.baselineS) : [];
    for (const b of baselines) log(`[baseline] ${b.name}: ${Math.round(b.opsPerS)} ops/s`);
    const patternRun = await pattern.setup(ctx);
    cleanups.push(() => patternRun.close());
    const strategyRun = await strategy.start(ctx);
    cleanups.push(() => strategyRun.close());
    const driver = new Driver(ctx, pattern, strategyRun, patternRun, scenario.opTimeoutMs);

    if (scenario.warmupS > 0) { history.phase("warmup"); await driver.drive(scenario.warmupS, true); }
    history.phase("measure");
    const nemesis = new Nemesis(env, workers, history, (l) => log(`[nemesis] ${l}`));
    const abort = new AbortController();
    const measureStart = performance.now();
    const progress = setInterval(() => {
      const s = driver.live;
      log(`[measure ${Math.round((performance.now() - measureStart) / 1000)}/${scenario.durationS}s] ok ${s.ok} fail ${s.fail} unknown ${s.info} in flight ${s.inFlight}${nemesis.activeNames.length ? `  faults: ${nemesis.activeNames.join(", ")}` : ""}`);
    }, opts.progressEveryMs ?? 5000);
    const [measured] = await Promise.all([
      driver.drive(scenario.durationS, false).finally(() => { abort.abort(); clearInterval(progress); }),
      nemesis.run(timeline, measureStart, abort.signal),
    ]);
    log(`[dgh] measured: ${measured.ok} ok, ${measured.fail} fail, ${measured.info} unknown`);

    history.phase("heal");
    await nemesis.healAll();
    history.phase("quiesce");
    const quiesce = await quiesceUntilIdle(patternRun, strategyRun, strategy.quietMs ?? 1500, scenario.quiesceTimeoutS);
    log(`[dgh] quiesce: ${quiesce.idle ? "idle" : `NOT idle after ${scenario.quiesceTimeoutS}s (bound)`} in ${quiesce.waitedMs} ms`);
    history.phase("observe");
    const observation = await patternRun.observe();
    const strategyStats = (await strategyRun.stats?.()) ?? {};
    const faultWindows = faultWindowsOf(readHistory(history.file));
    const recoveryMs = recoveryTimes(patternRun.latencyPoints?.() ?? [], faultWindows);
    history.phase("check");
    const verdicts = runCheckers(pattern.checkers(), readHistory(history.file), observation);
    const judgement = judge(strategy.claims, verdicts);
    history.phase("done", judgement.result);

    const result: RunResult = {
      runDir, scenario, timeline, judgement, verdicts, baselines, strategyStats, quiesce, recoveryMs,
      strategy: { name: strategy.name, description: strategy.description, claims: strategy.claims, control: strategy.control },
      measure: { ...measured, okPerS: measured.ok / scenario.durationS },
      latency: metrics.summaries(), histograms: metrics.encoded(),
      environment: { provider: env.provider, kafkaVersion: env.kafkaVersion, startMs: (env as { startMs?: Record<string, number> }).startMs },
      reproduce: reproduceCommand(runDir),
      startedAt: startedAt.toISOString(), wallMs: Math.round(performance.now() - t0),
    };
    fs.writeFileSync(path.join(runDir, "run.json"), JSON.stringify(result, null, 2));
    writeReports(runDir);
    return result;
  } finally {
    history.close();
    // Workers first (they use what the strategy and pattern set up), then the strategy, then the pattern.
    await Promise.all([...workers.values()].map((w) => w.stop().catch(() => {})));
    for (const c of cleanups.reverse()) await c().catch((e: Error) => log(`[dgh] cleanup: ${e.message}`));
    if (ownEnv && env) await env.teardown();
  }
}

function faultWindowsOf(history: readonly HistoryEvent[]): { startUs: number; endUs: number }[] {
  const open = new Map<string, number[]>();
  const out: { startUs: number; endUs: number }[] = [];
  for (const e of history) {
    if (e.type === "fault-start") { const l = open.get(e.fault) ?? []; l.push(out.length); open.set(e.fault, l); out.push({ startUs: e.t, endUs: Infinity }); }
    if (e.type === "fault-end") { const i = open.get(e.fault)?.shift(); if (i !== undefined) out[i]!.endUs = e.t; }
  }
  return out;
}

/**
 * Quiesce: done when everything committed has arrived and the strategy is idle; or when nothing has arrived for
 * `quietMs` and the strategy is idle (what is still missing then is lost, not late); or when the bound passes.
 */
async function quiesceUntilIdle(pattern: PatternRun, strategy: StrategyRun, quietMs: number, boundS: number) {
  const t0 = performance.now();
  const idle = async () => !strategy.idle || (await strategy.idle());
  const done = (isIdle: boolean) => ({ idle: isIdle, waitedMs: Math.round(performance.now() - t0), boundS });
  let last = await pattern.progress(), lastChange = performance.now();
  while (performance.now() - t0 < boundS * 1000) {
    await sleep(250);
    const now = await pattern.progress();
    if (now !== last) { last = now; lastChange = performance.now(); }
    const quietFor = performance.now() - lastChange;
    if (pattern.outstanding && quietFor >= 500 && (await pattern.outstanding()) === 0 && (await idle())) return done(true);
    if (quietFor >= quietMs && (await idle())) return done(true);
  }
  return done(false);
}
