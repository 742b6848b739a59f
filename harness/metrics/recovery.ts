/** One delivery's arrival (µs, history clock) and its end-to-end latency. */
export interface LatencyPoint {
  atUs: number;
  e2eUs: number;
}

/**
 * Recovery time of each fault: from the fault's end until the end-to-end latency of arriving events is back
 * under `factor` × its median before the first fault (at least `floorUs`). undefined: it never came back.
 */
export function recoveryTimes(
  points: readonly LatencyPoint[],
  faults: readonly { startUs: number; endUs: number }[],
  factor = 3,
  floorUs = 50_000,
): (number | undefined)[] {
  if (!faults.length) return [];
  const firstStart = Math.min(...faults.map((f) => f.startUs));
  const before = points
    .filter((p) => p.atUs < firstStart)
    .map((p) => p.e2eUs)
    .sort((a, b) => a - b);
  const median = before.length ? before[Math.floor(before.length / 2)]! : 0;
  const threshold = Math.max(floorUs, median * factor);
  const sorted = [...points].sort((a, b) => a.atUs - b.atUs);
  return faults.map((f) => {
    const back = sorted.find((p) => p.atUs >= f.endUs && p.e2eUs <= threshold);
    return back ? Math.round((back.atUs - f.endUs) / 1000) : undefined;
  });
}
