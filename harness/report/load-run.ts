import path from "node:path";
import { readHistory } from "../history/reader.js";
import type { HistoryEvent, PhaseEvent } from "../history/events.js";
import { readRunRecord, runFiles, type RunRecord } from "../record/run-record.js";

/** A run as reports see it: only what is in its folder, so any run can be re-rendered later. */
export interface LoadedRun {
  result: RunRecord;
  /** history.jsonl, read once for every report. */
  history: HistoryEvent[];
  /** Each fault with its times in seconds from the start of measurement. */
  faults: (RunRecord["faults"][number] & { startS: number; endS?: number })[];
  measureStartUs: number;
}

export function loadRun(dir: string): LoadedRun {
  const result = readRunRecord(dir);
  const history = readHistory(path.join(dir, runFiles.history));
  const measureStartUs =
    (history.find((e) => e.type === "phase" && (e as PhaseEvent).phase === "measure") as PhaseEvent | undefined)?.t ??
    0;
  const faults = result.faults.map((f) => ({
    ...f,
    startS: (f.startUs - measureStartUs) / 1e6,
    endS: f.endUs === undefined ? undefined : (f.endUs - measureStartUs) / 1e6,
  }));
  return { result, history, faults, measureStartUs };
}
