import type { Environment, ServiceControl, ServiceName } from "../env/environment.js";
import type { HistoryRecorder } from "../history/history-recorder.js";
import type { Worker } from "../workers/worker.js";
import { faultName, type FaultSpec, type TimedFault } from "./fault-spec.js";
import { addToxic, healNetwork, setLink } from "./toxics.js";
import { sleep } from "../util/wait.js";

/** Applies the schedule's faults at their times, records their start and end, and heals everything at the end. */
export class Nemesis {
  private active = new Set<Promise<void>>();
  /** Names of the faults in force now, for the progress line. */
  readonly activeNames: string[] = [];
  private paused = new Set<ServiceControl>();
  private killed = new Set<ServiceControl>();
  constructor(private env: Environment, private workers: Map<string, Worker>, private history: HistoryRecorder, private log: (l: string) => void) {}

  private target(name: string): ServiceControl {
    return this.workers.get(name) ?? this.env.control(name as ServiceName);
  }

  /** Runs the timeline; `t0Ms` is the start of measurement (performance.now() based). */
  async run(timeline: readonly TimedFault[], t0Ms: number, signal: AbortSignal): Promise<void> {
    for (const f of timeline) {
      const wait = t0Ms + f.atS * 1000 - performance.now();
      if (wait > 0) await sleep(wait);
      if (signal.aborted) return;
      const p = this.apply(f).catch((e: Error) => this.history.record({ type: "log", message: `fault ${faultName(f.fault)} failed: ${e.message}` }));
      this.active.add(p);
      void p.finally(() => this.active.delete(p));
    }
    await Promise.all(this.active);
  }

  private async apply({ fault, forS }: TimedFault): Promise<void> {
    const name = faultName(fault);
    this.log(`fault start: ${name} for ${forS}s`);
    this.history.record({ type: "fault-start", fault: name, detail: fault });
    this.activeNames.push(name);
    const end = await this.start(fault);
    await sleep(forS * 1000);
    const detail = await end();
    this.activeNames.splice(this.activeNames.indexOf(name), 1);
    this.history.record({ type: "fault-end", fault: name, detail });
    this.log(`fault end: ${name}${detail ? ` (${JSON.stringify(detail)})` : ""}`);
  }

  /** Starts a fault; returns what ends it. */
  private async start(f: FaultSpec): Promise<() => Promise<unknown>> {
    switch (f.kind) {
      case "toxic": {
        const remove = await addToxic(this.env, f.service, f.toxic, `dgh-${f.toxic.type}-${Math.random().toString(36).slice(2, 8)}`);
        return async () => { await remove(); };
      }
      case "link-down":
        await setLink(this.env, f.service, false);
        return async () => { await setLink(this.env, f.service, true); };
      case "kill": {
        const t = this.target(f.target);
        await t.kill();
        this.killed.add(t);
        return async () => { await t.restart(); this.killed.delete(t); };
      }
      case "pause": {
        const t = this.target(f.target);
        await t.pause();
        this.paused.add(t);
        return async () => { await t.resume(); this.paused.delete(t); };
      }
      case "leave": {
        const w = this.workers.get(f.target)!;
        await w.stop();
        return async () => { if (!w.running) await w.restart(); };
      }
      case "restart":
        await this.target(f.target).restart();
        return async () => undefined;
      case "pause-at": {
        const w = this.workers.get(f.target)!;
        w.armFailpoint(`pause:${f.failpoint}`);
        return async () => {
          w.disarm();
          const fired = w.stopped();
          await w.resume();
          return fired ? { fired: true } : { fired: false, note: `${f.target} did not reach ${f.failpoint} while the fault was held` };
        };
      }
      case "crash-at": {
        const w = this.workers.get(f.target)!;
        w.armFailpoint(f.failpoint);
        return async () => {
          w.disarm();
          if (w.running) return { crashed: false, note: `${f.target} did not reach ${f.failpoint} while the fault was held` };
          await w.restart();
          return { crashed: true };
        };
      }
    }
  }

  /** Heals every fault still in force: network reset, paused processes resumed, killed ones restarted. */
  async healAll(): Promise<void> {
    await healNetwork(this.env).catch(() => {});
    for (const t of this.paused) await t.resume();
    for (const t of this.killed) await t.restart().catch(() => {});
    for (const w of this.workers.values()) { w.disarm(); if (!w.running) await w.restart(); }
    this.paused.clear();
    this.killed.clear();
  }
}
