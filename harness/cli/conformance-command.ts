import fs from "node:fs";
import path from "node:path";
import { NativeEnvironment } from "../env/native/native-environment.js";
import { repoRoot } from "../env/stack-paths.js";
import { loadPattern, loadStrategy } from "../run/catalog.js";
import { caseScenario, conformanceCases, judgeCase, type CaseOutcome } from "../run/conformance-cases.js";
import type { ConformanceCase } from "../run/contracts.js";
import { prepareRun } from "../run/prepare-run.js";
import { runScenario } from "../run/run-scenario.js";
import { esc, mdTable } from "../report/format.js";
import { describeClaims } from "../checkers/claims.js";
import { InputError } from "../util/errors.js";
import { folderStamp } from "../util/folder-stamp.js";
import { writeComparePage } from "../report/compare-html.js";
import { Progress } from "../util/progress.js";

export interface ConformanceFlags {
  pattern?: string;
  strategy?: string;
  impl?: string;
  implCmd?: string;
  /** Only the cases whose name contains this text (e.g. to run a failing one again). */
  only?: string;
  out?: string;
}

interface Row {
  c: ConformanceCase;
  outcome?: CaseOutcome;
  runDir?: string;
  error?: string;
  seconds: number;
}

/**
 * `dgh conformance`: one strategy (built-in or --impl) under its pattern's profile and its own cases, on one
 * native stack. Writes summary.md and junit.xml, one run folder per case under runs/. Every case is checked
 * before the stack starts. Exit 0 every case as expected, 1 one was not, 3 none failed but one could not tell.
 */
export async function conformanceCommand(f: ConformanceFlags): Promise<number> {
  if (!f.pattern)
    throw new InputError("dgh conformance needs --pattern P and --strategy S or --impl file.ts|dgh-service.yaml");
  if (!f.strategy && !f.impl)
    throw new InputError("dgh conformance needs --strategy S or --impl file.ts|dgh-service.yaml");
  const pattern = await loadPattern(f.pattern);
  const strategy = await loadStrategy(f.pattern, f.strategy ?? "user", f.impl, f.implCmd);
  // A user's module is named by what it calls itself, in the run folders too.
  const subject = { pattern: f.pattern, strategy: f.strategy ?? strategy.name, impl: f.impl, implCmd: f.implCmd };
  const name = subject.strategy;
  const all = conformanceCases(pattern, strategy);
  if (!all.length) throw new InputError(`${name} declares no conformance cases and ${f.pattern} has no profile`);
  const cases = all.filter((c) => !f.only || c.name.includes(f.only));
  if (!cases.length)
    throw new InputError(
      `--case "${f.only}" matches no case; the cases are:\n  ${all.map((c) => c.name).join("\n  ")}`,
    );
  for (const c of cases) await prepareRun(caseScenario(subject, c), "native");

  const stamp = folderStamp();
  const dir = path.resolve(
    f.out ?? path.join(repoRoot, "reports", `${stamp}-conformance-${f.pattern}-${strategy.name}`),
  );
  const runsDir = path.join(dir, "runs");
  fs.mkdirSync(runsDir, { recursive: true });
  const rows: Row[] = [];
  const write = () =>
    writeConformanceReports(dir, `${f.pattern}/${strategy.name}`, describeClaims(strategy.claims), rows);
  console.error(`[conformance] ${f.pattern}/${strategy.name}: ${cases.length} cases; starting the native stack`);
  const env = await NativeEnvironment.start({ connect: true, log: (l) => console.error(`[env] ${l}`) });
  const progress = new Progress("conformance", cases.length);
  try {
    for (const c of cases) {
      progress.step(c.name);
      const t0 = performance.now();
      try {
        const r = await runScenario(caseScenario(subject, c), { env, reportsDir: runsDir, log: () => {} });
        const outcome = judgeCase(c, strategy, r);
        rows.push({ c, outcome, runDir: r.runDir, seconds: (performance.now() - t0) / 1000 });
        console.error(
          `[conformance]   ${verdictWord(outcome.met)}${outcome.problems.length ? `: ${outcome.problems.join("; ")}` : ""}`,
        );
      } catch (e) {
        // A run that threw was not judged: unknown, and the next case still runs on the same stack.
        const error = e instanceof Error ? e.message : String(e);
        rows.push({ c, error, seconds: (performance.now() - t0) / 1000 });
        console.error(`[conformance]   UNKNOWN: the run stopped: ${error}`);
      }
      write();
    }
  } finally {
    await env.teardown();
  }
  const met = rows.map(rowMet);
  console.log(
    `${f.pattern}/${strategy.name}: ${met.filter((m) => m === true).length}/${rows.length} cases as expected`,
  );
  console.log(`report: ${path.join(dir, "summary.md")}`);
  const page = writeComparePage(dir);
  if (page) console.log(`every case side by side: ${page}`);
  return met.includes(false) ? 1 : met.includes("unknown") ? 3 : 0;
}

const rowMet = (r: Row) => r.outcome?.met ?? "unknown";
const verdictWord = (m: boolean | "unknown") =>
  m === true ? "as expected" : m === false ? "NOT as expected" : "UNKNOWN";

/** summary.md and junit.xml of a conformance run, rewritten after every case so a crash keeps what was judged. */
export function writeConformanceReports(dir: string, subject: string, claims: string, rows: Row[]): void {
  const why = (r: Row) => r.error ?? (r.outcome?.problems.join("; ") || r.outcome?.expectation.says || "");
  const table = mdTable(
    ["case", "result", "why", "run"],
    rows.map((r) => [
      r.c.name,
      verdictWord(rowMet(r)),
      why(r),
      r.runDir ? `[summary](${path.relative(dir, r.runDir)}/summary.md)` : "–",
    ]),
  );
  const met = rows.map(rowMet);
  const not = met.filter((m) => m === false).length,
    unknown = met.filter((m) => m === "unknown").length;
  const verdict = not
    ? `**FAIL**: ${not} of ${rows.length} cases not as expected${unknown ? `, ${unknown} could not tell` : ""}.`
    : unknown
      ? `**UNKNOWN**: ${unknown} of ${rows.length} cases could not tell (each says why).`
      : `**PASS**: all ${rows.length} cases as expected.`;
  fs.writeFileSync(
    path.join(dir, "summary.md"),
    [
      `# Conformance: ${subject}`,
      "",
      verdict,
      "",
      `Claims: ${claims}. Cases marked "profile:" are the pattern's; the others are the strategy's own. Run one case again with \`--case "<part of its name>"\`, or a run with \`bin/dgh replay <its folder>\`.`,
      "",
      table,
      "",
    ].join("\n"),
  );
  const testcases = rows.map((r) => {
    const m = rowMet(r);
    const body = m === true ? "" : `<failure message="${esc(`${verdictWord(m)}: ${why(r)}`)}"/>`;
    return `    <testcase classname="${esc(subject)}" name="${esc(r.c.name)}" time="${r.seconds.toFixed(1)}">${body}</testcase>`;
  });
  const failures = rows.filter((r) => rowMet(r) !== true).length;
  fs.writeFileSync(
    path.join(dir, "junit.xml"),
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="${esc(`conformance ${subject}`)}" tests="${rows.length}" failures="${failures}">\n${testcases.join("\n")}\n  </testsuite>\n</testsuites>\n`,
  );
}
