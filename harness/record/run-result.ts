import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { RunRecord } from "./run-record.js";

/**
 * result.json: what a CI gates on, one small versioned object per run (the run record is for reports). Figures
 * that depend on the machine are kept, but the gate compares only verdicts and ratios to raw baselines measured in
 * the same run, so a slower CI machine does not look like a regression. Bump the version when a field changes.
 */
export const runResultVersion = 1;

export interface RunResult {
  schema: "dgh-run-result";
  schemaVersion: typeof runResultVersion;
  pattern: string;
  strategy: string;
  control: boolean;
  /** Same hash, same scenario: pattern, strategy, options, workload, faults, durations and seed. */
  scenarioHash: string;
  seed: number;
  verdict: "pass" | "fail" | "unknown";
  /** The verdict is what the strategy had to show (a control must fail). */
  asExpected: boolean;
  anomalies: Record<string, number>;
  throughput: { okPerS: number; ok: number; fail: number; unknown: number };
  /** Per op type and end to end, microseconds. */
  latency: Record<string, { p50Us: number; p99Us: number; maxUs: number; count: number }>;
  baselines: { name: string; opsPerS: number; p50Us?: number; p99Us?: number }[];
  /** Ratios to the same run's raw baselines; `worse` says which direction is a regression. */
  ratios: Record<string, { value: number; worse: "higher" | "lower" }>;
  /** The strategy's own figures (relay queries/s, bytes per key, …). */
  figures: Record<string, number>;
  run: string;
}

/** A stable hash of what makes two runs comparable: key order does not matter. */
export function scenarioHash(s: RunRecord["scenario"]): string {
  const { pattern, strategy, options, workload, faults, durationS, warmupS, seed } = s;
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  const text = JSON.stringify(canonical({ pattern, strategy, options, workload, faults, durationS, warmupS, seed }));
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

export function runResult(r: RunRecord): RunResult {
  const anomalies: Record<string, number> = {};
  for (const v of [...r.judgement.violations, ...r.judgement.allowed])
    anomalies[v.anomaly] = (anomalies[v.anomaly] ?? 0) + v.count;
  const latency = Object.fromEntries(
    Object.entries(r.latency).map(([op, l]) => [
      op,
      { p50Us: l.p50Us, p99Us: l.p99Us, maxUs: l.maxUs, count: l.count },
    ]),
  );
  const ratios: RunResult["ratios"] = {};
  const e2e = r.latency["end-to-end"];
  for (const b of r.baselines) {
    for (const [op, l] of Object.entries(r.latency))
      if (op !== "end-to-end" && b.latency)
        ratios[`${op} p99 / ${b.name} p99`] = { value: l.p99Us / b.latency.p99Us, worse: "higher" };
    if (e2e && b.latency) {
      ratios[`end-to-end p50 / ${b.name} p50`] = { value: e2e.p50Us / b.latency.p50Us, worse: "higher" };
      ratios[`end-to-end p99 / ${b.name} p99`] = { value: e2e.p99Us / b.latency.p99Us, worse: "higher" };
    }
    // In an open loop, ok ops/s is the offered rate: a ratio of it would say nothing.
    if (r.scenario.workload.mode === "closed" && b.opsPerS > 0)
      ratios[`ok ops/s / ${b.name} ops/s`] = { value: r.measure.okPerS / b.opsPerS, worse: "lower" };
  }
  return {
    schema: "dgh-run-result",
    schemaVersion: runResultVersion,
    pattern: r.scenario.pattern,
    strategy: r.strategy.name,
    control: Boolean(r.strategy.control),
    scenarioHash: scenarioHash(r.scenario),
    seed: r.scenario.seed,
    verdict: r.judgement.result,
    asExpected: r.expectation.met === true,
    anomalies,
    throughput: { okPerS: r.measure.okPerS, ok: r.measure.ok, fail: r.measure.fail, unknown: r.measure.info },
    latency,
    baselines: r.baselines.map((b) => ({
      name: b.name,
      opsPerS: b.opsPerS,
      ...(b.latency ? { p50Us: b.latency.p50Us, p99Us: b.latency.p99Us } : {}),
    })),
    ratios,
    figures: r.strategyStats,
    run: path.basename(r.runDir),
  };
}

/** A result file (one result or a list of them), or a run folder's result.json; the error says what was expected. */
export function readResults(file: string): RunResult[] {
  const f = fs.existsSync(path.join(file, "result.json")) ? path.join(file, "result.json") : file;
  if (!fs.existsSync(f)) throw new Error(`${file}: no such result file or run folder with result.json`);
  const data = JSON.parse(fs.readFileSync(f, "utf8")) as unknown;
  const list = (Array.isArray(data) ? data : [data]) as Partial<RunResult>[];
  for (const x of list)
    if (x.schema !== "dgh-run-result" || x.schemaVersion !== runResultVersion)
      throw new Error(
        `${f} is not a dgh run result of version ${runResultVersion} (schema ${String(x.schema)}, version ${String(x.schemaVersion)}): write it again with \`dgh report <run>\` or \`dgh compare --write-baseline\``,
      );
  return list as RunResult[];
}
