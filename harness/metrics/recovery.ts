/** One delivery's arrival (µs, history clock) and its end-to-end latency. */
export interface LatencyPoint {
  atUs: number;
  e2eUs: number;
}

const windowUs = 1_000_000;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** Medians of the end-to-end latency over consecutive 1 s windows of arrivals (windows with at least `min` points). */
function windowMedians(points: readonly LatencyPoint[], min: number): number[] {
  const byWindow = new Map<number, number[]>();
  for (const p of points) {
    const w = Math.floor(p.atUs / windowUs);
    byWindow.set(w, [...(byWindow.get(w) ?? []), p.e2eUs]);
  }
  return [...byWindow.values()].filter((xs) => xs.length >= min).map(median);
}

/**
 * The steady state before any fault: the best 1 s window's median latency before the first fault starts. Not the
 * median of the whole pre-fault period: a system already falling behind before its first fault has a pre-fault
 * median of seconds of backlog, and recovering to that would say nothing.
 */
export function steadyStateUs(points: readonly LatencyPoint[], firstFaultUs: number): number | undefined {
  const before = points.filter((p) => p.atUs < firstFaultUs);
  const windows = windowMedians(before, 5);
  if (windows.length) return Math.min(...windows);
  return before.length ? median(before.map((p) => p.e2eUs)) : undefined;
}

/**
 * Recovery time of each fault: from the fault's end until end-to-end latency is back near the steady state before
 * any fault (under `factor` × it, at least `floorUs`) and stays there: the median of the arrivals of the following
 * second is under it too, so one lucky delivery in a backlog does not count. undefined: it never came back.
 */
export function recoveryTimes(
  points: readonly LatencyPoint[],
  faults: readonly { startUs: number; endUs: number }[],
  factor = 3,
  floorUs = 50_000,
): (number | undefined)[] {
  if (!faults.length) return [];
  const steady = steadyStateUs(points, Math.min(...faults.map((f) => f.startUs))) ?? 0;
  const threshold = Math.max(floorUs, steady * factor);
  const sorted = [...points].sort((a, b) => a.atUs - b.atUs);
  const staysBack = (i: number) => {
    const next = [];
    for (let j = i; j < sorted.length && sorted[j]!.atUs < sorted[i]!.atUs + windowUs; j++) next.push(sorted[j]!.e2eUs);
    return median(next) <= threshold;
  };
  return faults.map((f) => {
    for (let i = 0; i < sorted.length; i++)
      if (sorted[i]!.atUs >= f.endUs && sorted[i]!.e2eUs <= threshold && staysBack(i))
        return Math.round((sorted[i]!.atUs - f.endUs) / 1000);
    return undefined;
  });
}
