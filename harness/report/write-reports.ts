import fs from "node:fs";
import path from "node:path";
import { loadRun, type LoadedRun } from "./load-run.js";
import { summaryMarkdown } from "./summary-md.js";
import { junitXml } from "./junit-xml.js";
import { reportHtml } from "./report-html.js";
import { runResult } from "../record/run-result.js";
import { readEndToEnd } from "../record/run-record.js";
import { anomaliesFile } from "../record/anomaly-evidence.js";
import type { EvidenceItem } from "./report-html.js";

/** Renders summary.md, report.html, junit.xml and result.json from a run folder (temp names, then renamed). */
export function writeReports(dir: string): { summary: string } {
  const run = loadRun(dir);
  const summary = summaryMarkdown(run);
  const files: [string, string][] = [
    ["summary.md", summary],
    ["report.html", reportHtml(run, summary, run.history, readEndToEnd(dir), readEvidence(dir, run.result.verdicts))],
    ["junit.xml", junitXml(run)],
    ["result.json", `${JSON.stringify(runResult(run.result), null, 2)}\n`],
  ];
  for (const [name, text] of files) {
    fs.writeFileSync(path.join(dir, `.${name}.tmp`), text);
    fs.renameSync(path.join(dir, `.${name}.tmp`), path.join(dir, name));
  }
  return { summary };
}

/** Every item of evidence (anomalies.jsonl), or what run.json kept for a run from before that file. */
function readEvidence(dir: string, verdicts: LoadedRun["result"]["verdicts"]): EvidenceItem[] {
  const file = path.join(dir, anomaliesFile);
  if (fs.existsSync(file))
    return fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as EvidenceItem);
  return verdicts.flatMap((v) =>
    v.anomalies.flatMap((a) => a.evidence.map((evidence) => ({ checker: v.checker, anomaly: a.name, evidence }))),
  );
}
