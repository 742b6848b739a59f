/** The i-th worker of a kind: relay, relay-2, relay-3, … (the first keeps the plain name faults usually aim at). */
export const numberedWorker = (base: string, i: number) => (i === 0 ? base : `${base}-${i + 1}`);

/** `n` workers of a kind with the same failpoints, as a strategy's `workers()` declares them. */
export function workerSet(base: string, n: number, failpoints: readonly string[]): Record<string, readonly string[]> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [numberedWorker(base, i), failpoints]));
}
