import type { Recorder } from "./histogram.js";
import type { LatencyPoint } from "./recovery.js";

/**
 * End-to-end latency: from an op's acknowledgement to the first arrival of its effect downstream. Either may
 * come first (an event can arrive before its producer sees the ack), so each waits for the other.
 * Times are µs on the history's clock.
 */
export class EndToEnd {
  private ackedAt = new Map<string, number>();
  private arrivedAt = new Map<string, number>();
  /** Arrival time and latency of each matched pair, for recovery times. */
  readonly points: LatencyPoint[] = [];
  constructor(private metrics: Recorder) {}

  acknowledged(id: string, atUs: number): void {
    const early = this.arrivedAt.get(id);
    if (early === undefined) this.ackedAt.set(id, atUs);
    else {
      this.arrivedAt.delete(id);
      this.record(early, early - atUs);
    }
  }

  /** The first arrival of `id` (the caller skips redeliveries). */
  arrived(id: string, atUs: number): void {
    const acked = this.ackedAt.get(id);
    if (acked === undefined) this.arrivedAt.set(id, atUs);
    else {
      this.ackedAt.delete(id);
      this.record(atUs, atUs - acked);
    }
  }

  private record(atUs: number, us: number): void {
    const v = Math.max(1, us);
    this.metrics.record("end-to-end", v);
    this.points.push({ atUs, e2eUs: v });
  }
}
