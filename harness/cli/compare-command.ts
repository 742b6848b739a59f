import fs from "node:fs";
import path from "node:path";
import { compareRuns } from "../report/compare.js";
import { writeCompareHtml } from "../report/compare-html.js";
import { parseRegression, regressionGate } from "../report/regression-gate.js";
import { readResults, runResult, type RunResult } from "../record/run-result.js";
import { readRunRecord, writeJsonAtomic } from "../record/run-record.js";
import { InputError } from "../util/errors.js";

export interface CompareFlags {
  baseline?: string;
  maxRegression?: string;
  writeBaseline?: string;
  html?: string;
}

/** The results of run folders (their result.json, or computed from run.json for older runs) or result files. */
function resultsOf(paths: string[]): RunResult[] {
  return paths.flatMap((p) => {
    try {
      if (fs.existsSync(path.join(p, "run.json")) && !fs.existsSync(path.join(p, "result.json")))
        return [runResult(readRunRecord(p))];
      return readResults(p);
    } catch (e) {
      throw new InputError((e as Error).message);
    }
  });
}

/**
 * `dgh compare`: runs side by side; with --baseline, the CI gate (exit 1 on a changed verdict or a ratio regressed
 * past --max-regression, default 10 %); with --write-baseline, the results saved as the next baseline.
 */
export async function compareCommand(paths: string[], f: CompareFlags): Promise<number> {
  const max = f.maxRegression === undefined ? 0.1 : parseThreshold(f.maxRegression);
  if (f.maxRegression !== undefined && !f.baseline)
    throw new InputError("--max-regression goes with --baseline base.json");
  const current = resultsOf(paths);
  if (f.writeBaseline) {
    writeJsonAtomic(f.writeBaseline, current);
    console.error(`[compare] ${current.length} result(s) written to ${f.writeBaseline}`);
  }
  const runs = paths.filter((p) => fs.existsSync(path.join(p, "run.json")));
  if (f.html) {
    if (!runs.length) throw new InputError("--html needs run folders (each with its run.json)");
    writeCompareHtml(runs, f.html);
    console.error(`[compare] comparison page: ${f.html}`);
  }
  if (!f.baseline) {
    if (runs.length) console.log(compareRuns(runs));
    return 0;
  }
  const g = regressionGate(resultsOf([f.baseline]), current, max);
  for (const line of g.lines) console.log(line);
  console.log(
    g.passed
      ? `gate passed: ${current.length} result(s) against ${f.baseline}, ratios within ${Math.round(max * 100)}%`
      : `gate FAILED against ${f.baseline}`,
  );
  return g.passed ? 0 : 1;
}

function parseThreshold(text: string): number {
  try {
    return parseRegression(text);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
}
