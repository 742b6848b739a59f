import fs from "node:fs";
import path from "node:path";
import { loadRun } from "./load-run.js";
import { summaryMarkdown } from "./summary-md.js";
import { junitXml } from "./junit-xml.js";
import { reportHtml } from "./report-html.js";
import { runResult } from "../record/run-result.js";

/** Renders summary.md, report.html, junit.xml and result.json from a run folder (temp names, then renamed). */
export function writeReports(dir: string): { summary: string } {
  const run = loadRun(dir);
  const summary = summaryMarkdown(run);
  const files: [string, string][] = [
    ["summary.md", summary],
    ["report.html", reportHtml(run, summary)],
    ["junit.xml", junitXml(run)],
    ["result.json", `${JSON.stringify(runResult(run.result), null, 2)}\n`],
  ];
  for (const [name, text] of files) {
    fs.writeFileSync(path.join(dir, `.${name}.tmp`), text);
    fs.renameSync(path.join(dir, `.${name}.tmp`), path.join(dir, name));
  }
  return { summary };
}
