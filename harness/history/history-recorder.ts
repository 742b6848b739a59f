import fs from "node:fs";
import type { HistoryEvent, Phase } from "./events.js";

type Without<E> = E extends unknown ? Omit<E, "t"> : never;

/**
 * Appends events to history.jsonl as the run goes (a synchronous write per event: a killed harness still leaves
 * every event it had recorded). Keeps nothing in memory; checkers read the file back.
 */
export class HistoryRecorder {
  private fd: number;
  private readonly t0 = process.hrtime.bigint();
  private nextOp = 0;
  constructor(readonly file: string) { this.fd = fs.openSync(file, "a"); }

  /** µs since the recorder was created, monotonic. */
  now(): number { return Number((process.hrtime.bigint() - this.t0) / 1000n); }

  record(e: Without<HistoryEvent>): void {
    fs.writeSync(this.fd, JSON.stringify({ t: this.now(), ...e }) + "\n");
  }

  phase(phase: Phase, note?: string): void { this.record({ type: "phase", phase, note }); }

  newOp(): number { return this.nextOp++; }

  close(): void { try { fs.closeSync(this.fd); } catch { /* closed */ } }
}
