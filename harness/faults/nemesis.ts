import type { Environment } from "../env/environment.js";
import type { HistoryRecorder } from "../history/history-recorder.js";
import type { Worker } from "../workers/worker.js";
import { faultKind } from "./fault-kinds.js";
import type { Applied, FaultTarget } from "./fault-kind.js";
import type { TimedFault } from "./fault-spec.js";
import { healNetwork } from "./toxics.js";
import { sleep } from "../util/wait.js";

/**
 * Applies the schedule's faults at their times and records each one's start and end. Every fault ends with an
 * outcome: applied (with the proof its kind gives: pid gone, pid stopped, proxy disabled, failpoint fired…) or
 * failed (with the error). A failed fault makes the run's verdict unknown: it tested nothing.
 */
export class Nemesis {
  private active = new Set<Promise<void>>();
  /** Heals of faults in force, so healAll can end them if the measurement stops first. */
  private inForce = new Set<Applied>();
  /** Names of the faults in force now, for the progress line. */
  readonly activeNames: string[] = [];
  private target: FaultTarget;
  constructor(
    private env: Environment,
    private workers: Map<string, Worker>,
    private history: HistoryRecorder,
    private log: (l: string) => void,
  ) {
    this.target = { env, workers };
  }

  /** Runs the timeline; `t0Ms` is the start of measurement (performance.now() based). */
  async run(timeline: readonly TimedFault[], t0Ms: number, signal: AbortSignal): Promise<void> {
    for (const [id, f] of timeline.entries()) {
      const wait = t0Ms + f.atS * 1000 - performance.now();
      if (wait > 0) await sleep(wait);
      if (signal.aborted) return;
      const p = this.apply(id, f);
      this.active.add(p);
      void p.finally(() => this.active.delete(p));
    }
    await Promise.all(this.active);
  }

  private async apply(id: number, { fault, forS }: TimedFault): Promise<void> {
    const kind = faultKind(fault);
    const name = kind.describe(fault);
    this.log(`fault start: ${name} for ${forS}s`);
    this.history.record({ type: "fault-start", id, fault: name, detail: fault });
    this.activeNames.push(name);
    let applied: Applied | undefined;
    try {
      applied = await kind.apply(fault, this.target);
      this.inForce.add(applied);
      await sleep(forS * 1000);
      this.inForce.delete(applied);
      const healed = await applied.heal();
      this.history.record({
        type: "fault-end",
        id,
        fault: name,
        outcome: "applied",
        proof: { ...applied.proof, ...healed },
      });
      this.log(`fault end: ${name} (${JSON.stringify({ ...applied.proof, ...healed })})`);
    } catch (e) {
      if (applied) this.inForce.delete(applied);
      const error = e instanceof Error ? e.message : String(e);
      this.history.record({
        type: "fault-end",
        id,
        fault: name,
        outcome: "failed",
        error,
        ...(applied ? { proof: applied.proof } : {}),
      });
      this.log(`fault FAILED: ${name}: ${error}`);
    } finally {
      this.activeNames.splice(this.activeNames.indexOf(name), 1);
    }
  }

  /** Heals every fault still in force: its own heal, then network reset, and every worker running again. */
  async healAll(): Promise<void> {
    for (const a of this.inForce) await a.heal().catch(() => {});
    this.inForce.clear();
    await healNetwork(this.env).catch(() => {});
    for (const w of this.workers.values()) {
      w.disarm();
      if (w.stopped()) await w.resume();
      if (!w.running) await w.restart();
    }
  }
}
