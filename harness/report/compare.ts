import path from "node:path";
import { loadRun } from "./load-run.js";
import { mdTable, ms, num, pct, ratio } from "./format.js";
import type { RunRecord } from "../record/run-record.js";

/** How a run is named beside others: its strategy, the kinds of fault it ran under, what its checkers found. */
export const runLabel = (r: RunRecord) =>
  `${r.scenario.pattern}/${r.strategy.name}${r.strategy.control ? " (control)" : ""}`;
export const faultKindsOf = (r: RunRecord) =>
  r.timeline.length ? [...new Set(r.timeline.map((t) => t.fault.kind))].join("+") : "no fault";
export const anomaliesOf = (r: RunRecord) =>
  [...r.judgement.violations, ...r.judgement.allowed].map((v) => `${v.anomaly}×${v.count}`).join(" ") || "–";
export const duplicateRateOf = (r: RunRecord) =>
  r.verdicts.find((v) => v.checker === "duplicate-delivery")?.stats.duplicateRate;

/**
 * What tells runs of one page apart besides strategy and faults: each option or workload setting whose value
 * differs between them ("concurrency=4 keySkew=1"), one string per run ("" when they all agree).
 */
export function varyingSettings(records: RunRecord[]): string[] {
  const settings = records.map((r) => {
    const { params, ...workload } = r.scenario.workload;
    return { ...r.scenario.options, ...workload, ...params } as Record<string, unknown>;
  });
  const keys = [...new Set(settings.flatMap(Object.keys))].filter(
    (k) => new Set(settings.map((x) => JSON.stringify(x[k]))).size > 1,
  );
  return settings.map((x) =>
    keys
      .filter((k) => x[k] !== undefined)
      .map((k) => `${k}=${typeof x[k] === "object" ? JSON.stringify(x[k]) : String(x[k])}`)
      .join(" "),
  );
}

/** Throughput as a ratio to the run's first raw baseline. In an open loop ok ops/s is the offered rate: no ratio. */
export const vsBaselineOf = (r: RunRecord) => {
  const base = r.baselines[0];
  if (r.scenario.workload.mode === "open") return "(open loop)";
  return base ? `${ratio(r.measure.okPerS, base.opsPerS)} of ${base.name}` : "–";
};

/** Runs side by side: verdict, throughput beside its baseline, end-to-end latency, duplicates. */
export function compareRuns(dirs: string[]): string {
  const records = dirs.map((d) => loadRun(d).result);
  const settings = varyingSettings(records);
  const rows = records.map((r, i) => {
    const e2e = r.latency["end-to-end"];
    return [
      runLabel(r),
      settings[i] || "–",
      faultKindsOf(r),
      r.judgement.result.toUpperCase(),
      anomaliesOf(r),
      num(r.measure.okPerS, 1),
      vsBaselineOf(r),
      ms(e2e?.p50Us),
      ms(e2e?.p99Us),
      ms(e2e?.maxUs),
      pct(duplicateRateOf(r)),
      path.basename(path.resolve(dirs[i]!)),
    ];
  });
  return mdTable(
    [
      "strategy",
      "setting",
      "faults",
      "verdict",
      "anomalies",
      "ok ops/s",
      "vs baseline",
      "e2e p50 ms",
      "e2e p99 ms",
      "e2e max ms",
      "dup rate",
      "run",
    ],
    rows,
  );
}
