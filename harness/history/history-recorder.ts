import fs from "node:fs";
import type { HistoryEvent, Phase } from "./events.js";

type Without<E> = E extends unknown ? Omit<E, "t"> : never;

const open = new Set<HistoryRecorder>();
let hooked = false;
function flushAllOnExit(): void {
  if (hooked) return;
  hooked = true;
  // An exception or a signal still writes everything; only SIGKILL can lose the events of the current tick.
  process.on("exit", () => {
    for (const r of open) r.flush();
  });
  process.on("uncaughtException", (e) => {
    for (const r of open) r.flush();
    throw e;
  });
}

/**
 * Appends events to history.jsonl as the run goes. Events of one event-loop tick are written together
 * (one write per tick instead of one per event: recording an op costs well under a microsecond), so a harness
 * killed with SIGKILL loses at most the events of the tick it died in. Nothing is kept beyond that;
 * checkers read the file back.
 */
export class HistoryRecorder {
  private fd: number;
  private buffer: string[] = [];
  private scheduled = false;
  private readonly t0 = performance.now();
  private nextOp = 0;
  constructor(readonly file: string) {
    this.fd = fs.openSync(file, "a");
    open.add(this);
    flushAllOnExit();
  }

  /** µs since the recorder was created, monotonic. */
  now(): number {
    return this.at(performance.now());
  }

  /** A performance.now() time (ms) on the history's clock (µs). */
  at(perfMs: number): number {
    return Math.round((perfMs - this.t0) * 1000);
  }

  record(e: Without<HistoryEvent>): void {
    const rest = JSON.stringify(e); // '{"type":…}': put the time in front without copying the event
    this.buffer.push(`{"t":${this.now()},${rest.slice(1)}`);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (!this.buffer.length) return;
    const text = `${this.buffer.join("\n")}\n`;
    this.buffer = [];
    fs.writeSync(this.fd, text);
  }

  phase(phase: Phase, note?: string): void {
    this.record({ type: "phase", phase, note });
    this.flush();
  }

  newOp(): number {
    return this.nextOp++;
  }

  close(): void {
    this.flush();
    open.delete(this);
    try {
      fs.closeSync(this.fd);
    } catch {
      /* closed */
    }
  }
}
