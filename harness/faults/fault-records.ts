import { operations, type HistoryEvent } from "../history/events.js";

/** One fault as the history tells it: when it ran, whether it applied (and the proof), and what it touched. */
export interface FaultRecord {
  id: number;
  name: string;
  spec: unknown;
  startUs: number;
  /** Missing when the run ended before the fault did (a crash of the harness): no outcome, so not applied. */
  endUs?: number;
  outcome?: "applied" | "failed";
  proof?: Record<string, unknown>;
  error?: string;
  /** Operations invoked while the fault was in force, and how many of them did not complete ok. */
  opsInside: number;
  notOkInside: number;
}

/** Pairs fault-start and fault-end events by id, in start order. */
export function faultRecords(history: readonly HistoryEvent[]): FaultRecord[] {
  const byId = new Map<number, FaultRecord>();
  for (const e of history) {
    if (e.type === "fault-start")
      byId.set(e.id, { id: e.id, name: e.fault, spec: e.detail, startUs: e.t, opsInside: 0, notOkInside: 0 });
    if (e.type === "fault-end") {
      const f = byId.get(e.id);
      if (f) Object.assign(f, { endUs: e.t, outcome: e.outcome, proof: e.proof, error: e.error });
    }
  }
  const records = [...byId.values()].sort((a, b) => a.startUs - b.startUs);
  for (const o of operations(history)) {
    for (const f of records) {
      if (o.invokeT < f.startUs || o.invokeT > (f.endUs ?? Infinity)) continue;
      f.opsInside++;
      if (o.outcome !== "ok") f.notOkInside++;
    }
  }
  return records;
}

/** Faults that did not apply, each with why: any one makes the verdict unknown. */
export function faultsNotApplied(records: readonly FaultRecord[]): { fault: string; error: string }[] {
  return records
    .filter((f) => f.outcome !== "applied")
    .map((f) => ({ fault: f.name, error: f.error ?? "no outcome recorded (the run ended while it was in force)" }));
}
