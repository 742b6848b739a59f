import type { CompleteEvent, HistoryEvent, InvokeEvent } from "../history/events.js";
import { decode } from "../metrics/histogram.js";
import type { EndToEndColumns } from "../record/run-record.js";
import type { LoadedRun } from "./load-run.js";

/** A scatter series: seconds from the start of measurement, and milliseconds. */
export interface Points {
  t: number[];
  ms: number[];
}

/** What the run report draws, computed from the run folder alone (so any stored run can be drawn again). */
export interface ReportData {
  /** Latency of every measured op that completed ok, by op type, plotted at its completion. */
  ops: Record<string, Points>;
  /** Acknowledgement → first arrival downstream, plotted at the arrival. */
  endToEnd: Points;
  /** Completions per second of measurement. */
  throughput: { t: number[]; ok: number[]; fail: number[]; unknown: number[] };
  /** Latency at each percentile (HdrHistogram), per op type, end to end and the raw baselines. */
  percentiles: { q: number[]; series: Record<string, number[]> };
  faults: { name: string; startS: number; endS: number; outcome: string }[];
  durationS: number;
}

/** Percentiles on a "number of nines" axis: what HdrHistogram's percentile plots show. */
export const percentileSteps = [50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999];

export function reportData(run: LoadedRun, history: readonly HistoryEvent[], e2e: EndToEndColumns): ReportData {
  const { result: r, measureStartUs } = run;
  const durationS = r.scenario.durationS;
  const sec = (us: number) => (us - measureStartUs) / 1e6;
  const invokes = new Map<number, InvokeEvent>();
  const ops: Record<string, Points> = {};
  // Every second of the measurement, and on past its end while completions still come in: operations that time
  // out after a fault (unknown) or finish late are what a reader most needs to see.
  const throughput: ReportData["throughput"] = { t: [], ok: [], fail: [], unknown: [] };
  const count = (kind: "ok" | "fail" | "unknown", bucket: number) => {
    while (throughput.t.length <= Math.max(bucket, Math.ceil(durationS) - 1)) {
      throughput.t.push(throughput.t.length);
      throughput.ok.push(0);
      throughput.fail.push(0);
      throughput.unknown.push(0);
    }
    if (bucket >= 0) throughput[kind][bucket]!++;
  };
  count("ok", -1);
  for (const e of history) {
    if (e.type === "invoke") {
      if (!e.warmup) invokes.set(e.op, e);
      continue;
    }
    if (e.type !== "ok" && e.type !== "fail" && e.type !== "info") continue;
    const inv = invokes.get((e as CompleteEvent).op);
    if (!inv) continue;
    const at = sec(e.t);
    const bucket = Math.floor(at);
    count(e.type === "info" ? "unknown" : e.type, bucket);
    if (e.type !== "ok") continue;
    const series = ops[inv.f] ?? { t: [], ms: [] };
    ops[inv.f] = series;
    series.t.push(at);
    series.ms.push((e.t - (inv.intendedT ?? inv.t)) / 1000);
  }
  const endToEnd: Points = { t: [], ms: [] };
  e2e.atUs.forEach((at, i) => {
    endToEnd.t.push(sec(at));
    endToEnd.ms.push(e2e.e2eUs[i]! / 1000);
  });
  const percentiles: ReportData["percentiles"] = { q: percentileSteps, series: {} };
  for (const [name, encoded] of Object.entries(r.histograms)) {
    const h = decode(encoded);
    percentiles.series[name] = percentileSteps.map((q) => Math.max(0.001, h.getValueAtPercentile(q) / 1000));
  }
  return {
    ops,
    endToEnd,
    throughput,
    percentiles,
    faults: run.faults.map((f) => ({
      name: f.name,
      startS: f.startS,
      endS: f.endS ?? durationS,
      outcome: f.outcome ?? "no outcome",
    })),
    durationS,
  };
}

/** The history lines (1-based) that mention each op id: where a reader checks an anomaly's evidence. */
export function historyLinesById(history: readonly HistoryEvent[]): Map<string, number[]> {
  const lines = new Map<string, number[]>();
  history.forEach((e, i) => {
    const id = (e as { id?: unknown }).id;
    if (typeof id === "string") lines.set(id, [...(lines.get(id) ?? []), i + 1]);
  });
  return lines;
}
