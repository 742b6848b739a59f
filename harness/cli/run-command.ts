import path from "node:path";
import { loadScenarioFile, parseScenario, ScenarioError } from "../scenario/load.js";
import { parseFaultFlag } from "../scenario/fault-flag.js";
import { runScenario } from "../run/run-scenario.js";
import { loadPattern, loadStrategy } from "../run/catalog.js";
import type { Scenario } from "../scenario/scenario.js";

export interface RunFlags {
  file?: string; pattern?: string; strategy?: string; impl?: string; seed?: string; duration?: string; warmup?: string;
  rate?: string; concurrency?: string; keys?: string; skew?: string; mode?: string; env?: string; faults: string[]; options: string[]; baseline?: string;
  out?: string; noFaults?: boolean;
}

/** Scenario from a file and/or flags (flags win), validated before anything starts. */
export async function buildScenario(f: RunFlags): Promise<Scenario> {
  const base: Record<string, unknown> = f.file ? { ...loadScenarioFile(f.file) } : {};
  const w = { ...(base.workload as object ?? {}) } as Record<string, unknown>;
  const n = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const x = Number(v);
    if (!Number.isFinite(x)) throw new ScenarioError(`--${flag} must be a number, got "${v}"`);
    return x;
  };
  if (f.rate) w.rateOpsPerS = n("rate", f.rate);
  if (f.concurrency) w.concurrency = n("concurrency", f.concurrency);
  if (f.keys) w.keyCount = n("keys", f.keys);
  if (f.skew) w.keySkew = n("skew", f.skew);
  if (f.mode) w.mode = f.mode;
  const options = { ...(base.options as object ?? {}) } as Record<string, unknown>;
  for (const kv of f.options) {
    const [k, v] = kv.split("=");
    if (!k || v === undefined) throw new ScenarioError(`--option ${kv}: expected key=value, e.g. --option pollIntervalMs=50`);
    options[k] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  let faults = { ...(base.faults as object ?? {}) } as Scenario["faults"];
  if (f.faults.length) faults.timeline = [...(faults.timeline ?? []), ...f.faults.map(parseFaultFlag)];
  if (f.noFaults) faults = {};
  const scenario = parseScenario({
    ...base, workload: w, options, faults,
    ...(f.pattern ? { pattern: f.pattern } : {}), ...(f.strategy ? { strategy: f.strategy } : {}), ...(f.impl ? { impl: f.impl } : {}),
    ...(f.seed ? { seed: n("seed", f.seed) } : {}), ...(f.duration ? { durationS: f.duration } : {}),
    ...(f.warmup ? { warmupS: f.warmup } : {}), ...(f.env ? { environment: f.env } : {}),
    ...(f.baseline ? { baselineS: f.baseline } : {}),
  });
  // Unknown pattern or strategy is bad input too: say so before any service starts.
  await loadPattern(scenario.pattern);
  const strategy = await loadStrategy(scenario.pattern, scenario.strategy, scenario.impl);
  // No faults asked for anywhere: the strategy's first conformance schedule, so a control fails out of the box.
  const first = strategy.conformance?.[0];
  if (!f.file && !f.faults.length && !f.noFaults && first) {
    scenario.faults = { timeline: first.faults.filter((t) => t.atS + t.forS <= scenario.durationS) };
    scenario.options = { ...first.options, ...scenario.options };
    if (first.workload) scenario.workload = { ...scenario.workload, ...first.workload, ...Object.fromEntries(Object.entries({ rateOpsPerS: f.rate && Number(f.rate), concurrency: f.concurrency && Number(f.concurrency), keyCount: f.keys && Number(f.keys) }).filter(([, v]) => v)) };
    console.error(`[dgh] no --fault given: using the default schedule "${first.name}" (--no-faults for a clean run)`);
  }
  return scenario;
}

/** Exit code: 0 pass (or a control that failed as expected), 1 a claim broke, 3 unknown. */
export async function runCommand(f: RunFlags): Promise<number> {
  return runAndReport(await buildScenario(f), f.out);
}

/** Runs a scenario again from a run folder: same scenario, same seed. */
export async function replayCommand(dir: string, out?: string): Promise<number> {
  return runAndReport(loadScenarioFile(path.join(dir, "scenario.json")), out);
}

async function runAndReport(scenario: Scenario, out?: string): Promise<number> {
  const r = await runScenario(scenario, { reportsDir: out });
  const j = r.judgement;
  const line = (s: string) => console.log(s);
  line("");
  line(`${scenario.pattern}/${r.strategy.name}: ${j.result.toUpperCase()}`);
  for (const v of j.violations) line(`  violates claim: ${v.anomaly} x${v.count} (${v.checker})`);
  for (const v of j.allowed) line(`  allowed by claims: ${v.anomaly} x${v.count} (${v.checker})`);
  for (const u of j.unknown) line(`  unknown: ${u.checker}: ${u.error}`);
  line(`report: ${r.runDir}/summary.md`);
  if (j.result !== "pass") line(`reproduce: ${r.reproduce}`);
  if (r.strategy.control) {
    const bit = j.violations.some((v) => r.strategy.control!.expectedAnomalies.includes(v.anomaly));
    line(bit ? "this control failed as it must: the checkers caught it" : "this control did NOT fail: the faults did not provoke its flaw");
    return bit ? 0 : 1;
  }
  return j.result === "pass" ? 0 : j.result === "fail" ? 1 : 3;
}
