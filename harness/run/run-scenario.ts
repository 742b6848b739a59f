import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { EnvironmentError, type Environment } from "../env/environment.js";
import { openEnvironment } from "../env/select.js";
import { repoRoot } from "../env/stack-paths.js";
import { HistoryRecorder } from "../history/history-recorder.js";
import { readHistory } from "../history/reader.js";
import { recoveryTimes } from "../metrics/recovery.js";
import { Recorder } from "../metrics/histogram.js";
import { Rng } from "../workload/rng.js";
import { Driver } from "../workload/driver.js";
import { Nemesis } from "../faults/nemesis.js";
import { Worker, type WorkerSpec } from "../workers/worker.js";
import type { Pattern, PatternRun, RunContext, Strategy, StrategyRun } from "./contracts.js";
import type { Scenario } from "../scenario/scenario.js";
import { writeReports } from "../report/write-reports.js";
import { runFiles, writeEndToEnd, writeObservation, writeRunRecord, type RunRecord } from "../record/run-record.js";
import { prepareRun, type PreparedRun } from "./prepare-run.js";
import { quiesce } from "./quiesce.js";
import { judgeRun } from "./judge-run.js";
import { recordEvidence } from "../record/anomaly-evidence.js";
import { folderStamp } from "../util/folder-stamp.js";

/** What a run returns: its record (also in run.json). */
export type RunResult = RunRecord;

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

/** The parts of a run in progress that its phases share. */
interface Live {
  prepared: PreparedRun;
  runDir: string;
  history: HistoryRecorder;
  metrics: Recorder;
  workers: Map<string, Worker>;
  env: Environment;
  log: (line: string) => void;
}

/** validate → set up → warm up → measure with faults → heal → quiesce → observe → check → report. */
export async function runScenario(scenario: Scenario, opts: RunOptions = {}): Promise<RunResult> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const startedAt = new Date();
  const t0 = performance.now();
  // Everything the scenario names is checked before a folder is written or a service starts.
  const prepared = await prepareRun(scenario, opts.env?.provider);
  const runDir = createRunDir(scenario, startedAt, opts.reportsDir);
  log(`[dgh] seed ${scenario.seed}  run ${runDir}`);
  log(
    `[dgh] ${scenario.pattern}/${prepared.strategy.name}: ${scenario.durationS}s measured after ${scenario.warmupS}s warm-up, ${prepared.timeline.length} fault(s)`,
  );
  const history = new HistoryRecorder(path.join(runDir, runFiles.history));
  const cleanups: (() => Promise<void>)[] = [];
  const workers = new Map<string, Worker>();
  let env = opts.env;
  try {
    history.phase("setup");
    env ??= await openOwnEnvironment(scenario, runDir, history, log);
    const live: Live = { prepared, runDir, history, metrics: new Recorder(), workers, env, log };
    const { ctx, patternRun, strategyRun, baselines } = await setUp(live, cleanups);
    const driver = new Driver(ctx, prepared.pattern, strategyRun, patternRun, scenario.opTimeoutMs);
    if (scenario.warmupS > 0) {
      history.phase("warmup");
      await driver.drive(scenario.warmupS, true);
    }
    const measured = await measure(live, driver, opts.progressEveryMs ?? 5000);
    history.phase("heal");
    await measured.nemesis.healAll();
    history.phase("quiesce");
    const quietMs = prepared.strategy.quietMs ?? 1500;
    const q = await quiesce(patternRun, strategyRun, quietMs, scenario.quiesceTimeoutS, (l) => log(`[quiesce] ${l}`));
    log(
      `[dgh] quiesce: ${q.drained ? "drained" : `NOT drained after ${scenario.quiesceTimeoutS}s (bound): ${q.pending.map((p) => `${p.count} in ${p.stage}`).join(", ")}`} in ${q.waitedMs} ms`,
    );
    history.phase("observe");
    const observation = await patternRun.observe();
    writeObservation(runDir, observation);
    writeEndToEnd(runDir, patternRun.latencyPoints?.() ?? []);
    const strategyStats = (await strategyRun.stats?.()) ?? {};
    history.phase("check");
    history.flush();
    const judged = judgeRun(prepared.pattern, prepared.strategy, readHistory(history.file), observation, q);
    history.phase("done", judged.judgement.result);
    const faultWindows = judged.faults.map((f) => ({ startUs: f.startUs, endUs: f.endUs ?? Infinity }));
    const record: RunRecord = {
      schemaVersion: 1,
      runDir,
      scenario,
      timeline: prepared.timeline,
      ...judged,
      verdicts: recordEvidence(runDir, judged.verdicts),
      baselines,
      strategyStats,
      costs: costsOf(prepared.pattern, strategyStats),
      quiesce: q,
      recoveryMs: recoveryTimes(patternRun.latencyPoints?.() ?? [], faultWindows).map((x) => x ?? null),
      strategy: strategySummary(prepared.strategy),
      measure: { ...measured.result, okPerS: measured.result.ok / scenario.durationS },
      latency: live.metrics.summaries(),
      histograms: live.metrics.encoded(),
      environment: {
        provider: env.provider,
        kafkaVersion: env.kafkaVersion,
        startMs: (env as { startMs?: Record<string, number> }).startMs,
      },
      reproduce: reproduceCommand(runDir),
      startedAt: startedAt.toISOString(),
      wallMs: Math.round(performance.now() - t0),
    };
    writeRunRecord(runDir, record);
    writeReports(runDir);
    return record;
  } finally {
    history.close();
    // Workers first (they use what the strategy and pattern set up), then the strategy, then the pattern.
    await Promise.all([...workers.values()].map((w) => w.stop().catch(() => {})));
    for (const c of cleanups.reverse()) await c().catch((e: Error) => log(`[dgh] cleanup: ${e.message}`));
    if (!opts.env && env) await env.teardown();
  }
}

const strategySummary = (s: Strategy): RunRecord["strategy"] => ({
  name: s.name,
  description: s.description,
  claims: s.claims,
  control: s.control,
});

/** The pattern's cost figures this run has, by their labels. */
function costsOf(pattern: Pattern, stats: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(pattern.costFigures ?? {})
      .filter(([figure]) => Number.isFinite(stats[figure]))
      .map(([figure, label]) => [label, stats[figure]!]),
  );
}

function createRunDir(scenario: Scenario, startedAt: Date, reportsDir?: string): string {
  const stamp = folderStamp(startedAt);
  const runDir = path.join(
    reportsDir ?? path.join(repoRoot, "reports"),
    `${stamp}-${scenario.pattern}-${scenario.strategy}-seed${scenario.seed}`,
  );
  fs.mkdirSync(runDir, { recursive: true });
  fs.writeFileSync(path.join(runDir, runFiles.scenario), JSON.stringify(scenario, null, 2));
  return runDir;
}

async function openOwnEnvironment(
  scenario: Scenario,
  runDir: string,
  history: HistoryRecorder,
  log: (l: string) => void,
): Promise<Environment> {
  return openEnvironment(scenario.environment, { log: (l) => log(`[env] ${l}`) }).catch((e: Error) => {
    // Nothing ran: leave no half-written run folder behind.
    history.close();
    fs.rmSync(runDir, { recursive: true, force: true });
    throw new EnvironmentError(`the ${scenario.environment} environment could not start: ${e.message}`);
  });
}

/** Baselines, then the pattern's schema and observer, then the strategy and its workers. */
async function setUp(live: Live, cleanups: (() => Promise<void>)[]) {
  const { prepared, env, runDir, history, metrics, workers, log } = live;
  const { scenario, pattern, strategy } = prepared;
  if (strategy.needs?.includes("connect")) await env.ensureConnect();
  if (strategy.needs?.includes("temporal")) await env.ensureTemporal();
  const ctx: RunContext = {
    env,
    runId: `r${crypto.randomBytes(3).toString("hex")}`,
    dir: runDir,
    history,
    metrics,
    rng: new Rng(scenario.seed),
    workload: scenario.workload,
    options: prepared.options,
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
  const patternRun: PatternRun = await pattern.setup(ctx);
  cleanups.push(() => patternRun.close());
  const strategyRun: StrategyRun = await strategy.start(ctx);
  cleanups.push(() => strategyRun.close());
  return { ctx, patternRun, strategyRun, baselines };
}

/** The measurement: the workload and the fault schedule side by side, with a progress line. */
async function measure(live: Live, driver: Driver, progressEveryMs: number) {
  const { prepared, env, workers, history, log } = live;
  const durationS = prepared.scenario.durationS;
  history.phase("measure");
  const nemesis = new Nemesis(env, workers, history, (l) => log(`[nemesis] ${l}`));
  const abort = new AbortController();
  const startMs = performance.now();
  const progress = setInterval(() => {
    const s = driver.live;
    const faults = nemesis.activeNames.length ? `  faults: ${nemesis.activeNames.join(", ")}` : "";
    log(
      `[measure ${Math.round((performance.now() - startMs) / 1000)}/${durationS}s] ok ${s.ok} fail ${s.fail} unknown ${s.info} in flight ${s.inFlight}${faults}`,
    );
  }, progressEveryMs);
  const [result] = await Promise.all([
    driver.drive(durationS, false).finally(() => {
      abort.abort();
      clearInterval(progress);
    }),
    nemesis.run(prepared.timeline, startMs, abort.signal),
  ]);
  log(`[dgh] measured: ${result.ok} ok, ${result.fail} fail, ${result.info} unknown`);
  return { result, nemesis };
}
