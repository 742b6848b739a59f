import path from "node:path";
import { loadScenarioFile, parseScenario } from "../scenario/load.js";
import { parseFaultFlag } from "../scenario/fault-flag.js";
import { prepareRun } from "../run/prepare-run.js";
import { loadPattern, loadStrategy } from "../run/catalog.js";
import { defaultCase } from "../run/conformance-cases.js";
import type { Scenario } from "../scenario/scenario.js";
import { InputError } from "../util/errors.js";

export interface RunFlags {
  file?: string;
  pattern?: string;
  strategy?: string;
  impl?: string;
  implCmd?: string;
  seed?: string;
  duration?: string;
  warmup?: string;
  rate?: string;
  concurrency?: string;
  keys?: string;
  skew?: string;
  mode?: string;
  env?: string;
  faults: string[];
  options: string[];
  baseline?: string;
  out?: string;
  noFaults?: boolean;
}

/** A numeric flag, strictly: "abc", "" and "1e" are refused, and 0 is kept. */
export function numberFlag(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(v.trim())) throw new InputError(`--${flag} must be a number, got "${v}"`);
  return Number(v);
}

/** Scenario from a file and/or flags (flags win), validated before anything starts. */
export async function buildScenario(f: RunFlags): Promise<Scenario> {
  const base: Record<string, unknown> = f.file ? { ...loadScenarioFile(f.file) } : {};
  const pattern = f.pattern ?? base.pattern;
  // The pattern's and the strategy's workload defaults first, then the file's, then the flags.
  const w = { ...(await defaultWorkloadOf(f, base)), ...((base.workload as object) ?? {}) } as Record<string, unknown>;
  const flagWorkload = Object.fromEntries(
    Object.entries({
      rateOpsPerS: numberFlag("rate", f.rate),
      concurrency: numberFlag("concurrency", f.concurrency),
      keyCount: numberFlag("keys", f.keys),
      keySkew: numberFlag("skew", f.skew),
      mode: f.mode,
    }).filter(([, v]) => v !== undefined),
  );
  Object.assign(w, flagWorkload);
  const options = { ...((base.options as object) ?? {}) } as Record<string, unknown>;
  for (const kv of f.options) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new InputError(`--option ${kv}: expected key=value, e.g. --option pollIntervalMs=50`);
    // Typed by the strategy's declaration when the run is prepared.
    options[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  let faults = { ...((base.faults as object) ?? {}) } as Scenario["faults"];
  if (f.faults.length) faults.timeline = [...(faults.timeline ?? []), ...f.faults.map(parseFaultFlag)];
  if (f.noFaults) faults = {};
  const seed = numberFlag("seed", f.seed);
  // --impl without --strategy: the run is named by what the module or manifest calls itself.
  if (f.impl && !f.strategy && !base.strategy && typeof pattern === "string")
    base.strategy = (await loadStrategy(pattern, "user", f.impl, f.implCmd)).name;
  const scenario = parseScenario({
    ...base,
    workload: w,
    options,
    faults,
    ...(f.pattern ? { pattern: f.pattern } : {}),
    ...(f.strategy ? { strategy: f.strategy } : {}),
    ...(f.impl ? { impl: f.impl } : {}),
    ...(f.implCmd ? { implCmd: f.implCmd } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(f.duration !== undefined ? { durationS: f.duration } : {}),
    ...(f.warmup !== undefined ? { warmupS: f.warmup } : {}),
    ...(f.env ? { environment: f.env } : {}),
    ...(f.baseline !== undefined ? { baselineS: f.baseline } : {}),
  });
  // No faults asked for anywhere: the default schedule (harness/run/conformance-cases.ts).
  const strategy = await loadStrategy(scenario.pattern, scenario.strategy, scenario.impl, scenario.implCmd);
  const first = defaultCase(await loadPattern(scenario.pattern), strategy);
  if (!f.file && !f.faults.length && !f.noFaults && first) {
    scenario.faults = { timeline: first.faults.filter((t) => t.atS + t.forS <= scenario.durationS) };
    scenario.options = { ...first.options, ...scenario.options };
    if (first.workload) scenario.workload = { ...scenario.workload, ...first.workload, ...flagWorkload };
    console.error(`[dgh] no --fault given: using the default schedule "${first.name}" (--no-faults for a clean run)`);
  }
  // Options, faults and schedule checked against the strategy: bad input stops here, before any service starts.
  await prepareRun(scenario);
  return scenario;
}

/** The pattern's and then the strategy's own workload settings, when both are named (bad names are caught later). */
async function defaultWorkloadOf(f: RunFlags, base: Record<string, unknown>): Promise<Record<string, unknown>> {
  const pattern = f.pattern ?? base.pattern;
  const strategy = f.strategy ?? base.strategy;
  if (typeof pattern !== "string") return {};
  const p = await loadPattern(pattern);
  const s =
    typeof strategy === "string" || f.impl
      ? await loadStrategy(pattern, String(strategy ?? "user"), f.impl, f.implCmd).catch(() => undefined)
      : undefined;
  return { ...p.workload, ...s?.workload };
}

/** Exit code: 0 as expected (a reference passed, a control failed as it must), 1 not, 3 unknown. */
export async function runCommand(f: RunFlags): Promise<number> {
  return runAndReport(await buildScenario(f), f.out);
}

/** Runs a scenario again from a run folder: same scenario, same seed. */
export async function replayCommand(dir: string, out?: string): Promise<number> {
  const scenario = loadScenarioFile(path.join(dir, "scenario.json"));
  await prepareRun(scenario);
  return runAndReport(scenario, out);
}

async function runAndReport(scenario: Scenario, out?: string): Promise<number> {
  // Loaded after the input is checked: the runner pulls in every client library, and bad input should not wait.
  const { runScenario } = await import("../run/run-scenario.js");
  const r = await runScenario(scenario, { reportsDir: out });
  const j = r.judgement;
  const line = (s: string) => console.log(s);
  line("");
  line(`${scenario.pattern}/${r.strategy.name}: ${j.result.toUpperCase()}${r.strategy.control ? " (control)" : ""}`);
  for (const v of j.violations) line(`  violates claim: ${v.anomaly} x${v.count} (${v.checker})`);
  for (const v of j.allowed) line(`  allowed by claims: ${v.anomaly} x${v.count} (${v.checker})`);
  for (const u of j.unknown) line(`  unknown: ${u.checker}: ${u.error}`);
  line(`  ${r.expectation.says}`);
  line(`report: ${r.runDir}/summary.md`);
  if (r.expectation.met !== true) line(`reproduce: ${r.reproduce}`);
  return r.expectation.exitCode;
}
