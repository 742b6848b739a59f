import type { Completion, OpSpec, Pattern, PatternRun, RunContext, StrategyRun } from "../run/contracts.js";
import { sleep, withTimeout } from "../util/wait.js";

/** Ok completions per second of the measurement (index = second), for the throughput chart. */
export type ThroughputSeries = number[];

export interface DriveResult {
  ok: number;
  fail: number;
  info: number;
  seconds: number;
  series: ThroughputSeries;
  behindMaxMs: number;
}

/**
 * Runs the workload for `seconds`: open loop (each op has an intended start time; latency counts from it, so a
 * stalled system is charged for the wait — no coordinated omission) or closed loop (N clients back to back).
 */
export class Driver {
  private i = 0;
  /** Counters of the drive in progress, for the progress line. */
  readonly live = { ok: 0, fail: 0, info: 0, inFlight: 0 };
  constructor(
    private ctx: RunContext,
    private pattern: Pattern,
    private strategy: StrategyRun,
    private patternRun: PatternRun,
    private opTimeoutMs: number,
  ) {}

  async drive(seconds: number, warmup: boolean): Promise<DriveResult> {
    const w = this.ctx.workload;
    const r: DriveResult = {
      ok: 0,
      fail: 0,
      info: 0,
      seconds,
      series: Array(Math.ceil(seconds)).fill(0),
      behindMaxMs: 0,
    };
    const t0 = performance.now();
    const endAt = t0 + seconds * 1000;
    Object.assign(this.live, { ok: 0, fail: 0, info: 0, inFlight: 0 });
    const one = async (intendedMs: number, open: boolean) => {
      const op = this.pattern.nextOp(this.i++, this.ctx.rng, w);
      this.live.inFlight++;
      const c = await this.invoke(op, warmup, open ? intendedMs : undefined);
      this.live.inFlight--;
      r[c.outcome]++;
      this.live[c.outcome]++;
      const doneMs = performance.now();
      if (!warmup) {
        this.ctx.metrics.record(c.outcome === "ok" ? op.f : `${op.f} (${c.outcome})`, (doneMs - intendedMs) * 1000);
        if (c.outcome === "ok") {
          const s = Math.floor((doneMs - t0) / 1000);
          if (s < r.series.length) r.series[s]!++;
        }
      }
    };
    if (w.mode === "closed") {
      await Promise.all(
        Array.from({ length: w.concurrency }, async () => {
          while (performance.now() < endAt) await one(performance.now(), false);
        }),
      );
    } else {
      const intervalMs = 1000 / w.rateOpsPerS;
      // Bound what is in flight so a dead system does not pile up unbounded work; latency still counts from the intended time.
      const maxInFlight = Math.max(w.concurrency, Math.ceil((w.rateOpsPerS * this.opTimeoutMs) / 1000));
      const inFlight = new Set<Promise<void>>();
      for (let n = 0; ; n++) {
        const intended = t0 + n * intervalMs;
        if (intended >= endAt) break;
        const wait = intended - performance.now();
        // Timers count whole milliseconds: rounding up keeps an op from starting before it is due (it did, by up to
        // 2 ms, and its latency from the intended time came out below zero).
        if (wait > 0) await sleep(Math.ceil(wait));
        else r.behindMaxMs = Math.max(r.behindMaxMs, -wait);
        while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
        const p = one(intended, true);
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
      await Promise.all(inFlight);
    }
    return r;
  }

  /** `intendedMs`: when an open-loop op was due; recorded so the coordinated-omission correction can be checked. */
  private async invoke(op: OpSpec, warmup: boolean, intendedMs?: number): Promise<Completion> {
    const h = this.ctx.history;
    const n = h.newOp();
    // Never after the invoke itself: latency counts from the earlier of the two.
    const intendedT = intendedMs === undefined ? {} : { intendedT: h.at(Math.min(intendedMs, performance.now())) };
    h.record({
      type: "invoke",
      op: n,
      f: op.f,
      id: op.id,
      key: op.key,
      value: op.value,
      ...intendedT,
      ...(warmup ? { warmup } : {}),
    });
    let c: Completion;
    try {
      c = await withTimeout(this.strategy.invoke(op), this.opTimeoutMs, `op ${op.id}`);
    } catch (e) {
      // A timeout or an unexpected throw: we do not know whether it happened.
      c = { outcome: "info", error: e instanceof Error ? e.message : String(e) };
    }
    h.record({
      type: c.outcome,
      op: n,
      f: op.f,
      id: op.id,
      ...(c.value !== undefined ? { value: c.value } : {}),
      ...(c.error ? { error: c.error } : {}),
    });
    if (c.outcome === "ok") this.patternRun.acknowledged?.(op, h.now(), warmup);
    return c;
  }
}
