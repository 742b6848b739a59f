import fs from "node:fs";
import path from "node:path";
import type { Claims, Judgement } from "../checkers/claims.js";
import type { Observation, Verdict } from "../checkers/types.js";
import type { FaultRecord } from "../faults/fault-records.js";
import type { TimedFault } from "../faults/fault-spec.js";
import type { LatencySummary } from "../metrics/histogram.js";
import type { Scenario } from "../scenario/scenario.js";
import type { Baseline } from "../run/contracts.js";
import type { Expectation } from "../run/expectation.js";

/**
 * run.json: everything a report needs besides the history, and what `dgh check` needs to judge the run again.
 * The runner writes it, the reports and `dgh check` read it. Bump the version when a field changes meaning.
 */
export const runRecordVersion = 1;

export interface QuiesceRecord {
  /** Every stage drained (or everything committed arrived) before the bound. */
  drained: boolean;
  waitedMs: number;
  boundS: number;
  /** Stages still holding work when the bound passed (empty when drained). */
  pending: { stage: string; count: number }[];
}

export interface MeasureRecord {
  ok: number;
  fail: number;
  info: number;
  seconds: number;
  behindMaxMs: number;
  okPerS: number;
  series: number[];
}

export interface RunRecord {
  schemaVersion: typeof runRecordVersion;
  runDir: string;
  scenario: Scenario;
  strategy: { name: string; description: string; claims: Claims; control?: { expectedAnomalies: string[] } };
  judgement: Judgement;
  /** The judgement against what the run had to show (a control must fail): the exit code. */
  expectation: Expectation;
  verdicts: Verdict[];
  timeline: TimedFault[];
  /** Each fault's outcome and proof, from the history. */
  faults: FaultRecord[];
  measure: MeasureRecord;
  latency: Record<string, LatencySummary>;
  histograms: Record<string, string>;
  baselines: Baseline[];
  /** Per fault (in start order): ms from its end until end-to-end latency was back to normal; null = never. */
  recoveryMs: (number | null)[];
  strategyStats: Record<string, number>;
  /** The pattern's cost figures of this run by label (relay queries/s, Redis bytes/key, …); absent in older runs. */
  costs?: Record<string, number>;
  quiesce: QuiesceRecord;
  environment: { provider: string; kafkaVersion?: string; startMs?: Record<string, number> };
  reproduce: string;
  startedAt: string;
  wallMs: number;
}

/** Files of a run folder. */
export const runFiles = {
  record: "run.json",
  history: "history.jsonl",
  observation: "observation.json",
  scenario: "scenario.json",
  endToEnd: "end-to-end.json",
} as const;

/** Written to a temporary name and renamed, so a crash never leaves half a file. */
export function writeJsonAtomic(file: string, value: unknown): void {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(value, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

export function writeRunRecord(dir: string, record: RunRecord): void {
  writeJsonAtomic(path.join(dir, runFiles.record), record);
}

const required: [keyof RunRecord, string][] = [
  ["scenario", "object"],
  ["strategy", "object"],
  ["judgement", "object"],
  ["verdicts", "object"],
  ["faults", "object"],
  ["measure", "object"],
  ["latency", "object"],
  ["quiesce", "object"],
  ["startedAt", "string"],
];

/** Reads run.json, checking its version and shape; the error says what to do. */
export function readRunRecord(dir: string): RunRecord {
  const file = path.join(dir, runFiles.record);
  if (!fs.existsSync(file))
    throw new Error(`${dir} has no run.json: not a finished dgh run (its history.jsonl may still be read)`);
  const data = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<RunRecord>;
  if (data.schemaVersion !== runRecordVersion) {
    throw new Error(
      `${file} is run record version ${data.schemaVersion ?? "0 (unversioned)"}; this dgh reads version ${runRecordVersion}: run it again with \`bin/dgh replay ${dir}\``,
    );
  }
  for (const [k, type] of required)
    if (typeof data[k] !== type)
      throw new Error(`${file}: field "${k}" is missing or not a${type === "object" ? "n object" : ` ${type}`}`);
  return data as RunRecord;
}

export function writeObservation(dir: string, observation: Observation): void {
  writeJsonAtomic(path.join(dir, runFiles.observation), observation);
}

/** Each first arrival downstream and its end-to-end latency (µs, history clock), as two columns: for the charts. */
export interface EndToEndColumns {
  atUs: number[];
  e2eUs: number[];
}

export function writeEndToEnd(dir: string, points: readonly { atUs: number; e2eUs: number }[]): void {
  writeJsonAtomic(path.join(dir, runFiles.endToEnd), {
    atUs: points.map((p) => p.atUs),
    e2eUs: points.map((p) => p.e2eUs),
  } satisfies EndToEndColumns);
}

/** A run from before end-to-end.json, or of a pattern without end-to-end latency: no points. */
export function readEndToEnd(dir: string): EndToEndColumns {
  const file = path.join(dir, runFiles.endToEnd);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as EndToEndColumns) : { atUs: [], e2eUs: [] };
}

export function readObservation(dir: string): Observation {
  const file = path.join(dir, runFiles.observation);
  if (!fs.existsSync(file))
    throw new Error(`${dir} has no observation.json: the run ended before it observed the system`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as Observation;
}
