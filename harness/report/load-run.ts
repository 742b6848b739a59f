import fs from "node:fs";
import path from "node:path";
import type { RunResult } from "../run/run-scenario.js";
import { readHistory } from "../history/reader.js";
import type { FaultEvent, PhaseEvent } from "../history/events.js";

/** A run as reports see it: only what is in its folder, so any run can be re-rendered later. */
export interface LoadedRun {
  result: RunResult;
  faults: { name: string; startS: number; endS?: number; detail?: unknown }[];
  measureStartUs: number;
}

export function loadRun(dir: string): LoadedRun {
  const file = path.join(dir, "run.json");
  if (!fs.existsSync(file)) throw new Error(`${dir} has no run.json: not a finished dgh run (its history.jsonl may still be read)`);
  const result = JSON.parse(fs.readFileSync(file, "utf8")) as RunResult;
  const history = readHistory(path.join(dir, "history.jsonl"));
  const measureStartUs = (history.find((e) => e.type === "phase" && (e as PhaseEvent).phase === "measure") as PhaseEvent | undefined)?.t ?? 0;
  const faults: LoadedRun["faults"] = [];
  for (const e of history) {
    if (e.type === "fault-start") faults.push({ name: (e as FaultEvent).fault, startS: (e.t - measureStartUs) / 1e6 });
    if (e.type === "fault-end") {
      const f = faults.find((x) => x.name === (e as FaultEvent).fault && x.endS === undefined);
      if (f) { f.endS = (e.t - measureStartUs) / 1e6; f.detail = (e as FaultEvent).detail; }
    }
  }
  return { result, faults, measureStartUs };
}
