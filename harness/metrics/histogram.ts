import * as hdr from "hdr-histogram-js";

/** Latency histograms in µs (HdrHistogram, 3 significant digits, up to 1 hour). */
export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

export interface LatencySummary {
  count: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
  meanUs: number;
}

export function summarize(h: Histogram): LatencySummary {
  const p = (q: number) => h.getValueAtPercentile(q);
  return {
    count: h.totalCount,
    p50Us: p(50),
    p90Us: p(90),
    p99Us: p(99),
    p999Us: p(99.9),
    maxUs: p(100),
    meanUs: Math.round(h.mean),
  };
}

/** Compressed form kept in metrics.json, so a report can be rebuilt (or histograms merged) from the run folder. */
export const encode = (h: Histogram): string => hdr.encodeIntoCompressedBase64(h);
export const decode = (s: string): Histogram => hdr.decodeFromCompressedBase64(s, 64, false);

/** A set of named histograms (one per operation type, end-to-end, baselines). */
export class Recorder {
  readonly histograms = new Map<string, Histogram>();
  record(name: string, valueUs: number): void {
    const h = this.histograms.get(name) ?? newHistogram();
    this.histograms.set(name, h);
    h.recordValue(Math.max(1, Math.round(valueUs)));
  }
  summaries(): Record<string, LatencySummary> {
    return Object.fromEntries([...this.histograms].map(([k, h]) => [k, summarize(h)]));
  }
  encoded(): Record<string, string> {
    return Object.fromEntries([...this.histograms].map(([k, h]) => [k, encode(h)]));
  }
}
