/**
 * Progress of long multi-run work (benches, conformance, the demo): which run of how many, time spent and an
 * estimate of the rest, one line per step so it reads the same on a terminal and in a CI log.
 */
export class Progress {
  private readonly startMs = Date.now();
  private done = 0;
  constructor(
    private readonly tag: string,
    private readonly total: number,
  ) {}

  /** Announces the next step; returns its line (also written to stderr). */
  step(label: string): string {
    const elapsedMs = Date.now() - this.startMs;
    const left = this.done ? ` ~${duration((elapsedMs / this.done) * (this.total - this.done))} left` : "";
    this.done++;
    const line = `[${this.tag}] ${this.done}/${this.total} (${duration(elapsedMs)} in${left}): ${label}`;
    console.error(line);
    return line;
  }
}

/** 75_000 → "1m15s", 4_000 → "4s". */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}
