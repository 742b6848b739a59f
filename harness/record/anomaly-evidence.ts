import fs from "node:fs";
import path from "node:path";
import { EVIDENCE_IN_RECORD, type Verdict } from "../checkers/types.js";

/** Every item of evidence, one JSON line each, beside run.json (which keeps the first EVIDENCE_IN_RECORD). */
export const anomaliesFile = "anomalies.jsonl";

/**
 * Writes all the evidence of a run's verdicts to anomalies.jsonl and returns the verdicts as run.json keeps them:
 * counts complete, evidence cut to the first EVIDENCE_IN_RECORD per anomaly. Nothing is lost: `dgh check` and
 * this file both have every id.
 */
export function recordEvidence(dir: string, verdicts: readonly Verdict[]): Verdict[] {
  const lines = verdicts.flatMap((v) =>
    v.anomalies.flatMap((a) =>
      a.evidence.map((e) => JSON.stringify({ checker: v.checker, anomaly: a.name, evidence: e })),
    ),
  );
  fs.writeFileSync(`${path.join(dir, anomaliesFile)}.tmp`, lines.length ? `${lines.join("\n")}\n` : "");
  fs.renameSync(`${path.join(dir, anomaliesFile)}.tmp`, path.join(dir, anomaliesFile));
  return verdicts.map((v) => ({
    ...v,
    anomalies: v.anomalies.map((a) => ({ ...a, evidence: a.evidence.slice(0, EVIDENCE_IN_RECORD) })),
  }));
}
