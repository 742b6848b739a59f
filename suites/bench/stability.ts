/**
 * The stability benchmark: every reference strategy and every control, N runs each (default 20) with fault
 * schedules drawn from the seed (suites/support/stability.ts): a reference under its pattern's profile and its own
 * cases, a control under its own. Counts false verdicts (a reference judged FAIL,
 * a control judged PASS) and unknowns, and lists each with its run folder. The goal is zero false verdicts.
 * Run: npm run bench:stability [-- --runs N] [-- --only pattern/strategy | --only pattern]
 *   → reports/<time>-stability-bench/summary.md (rewritten after every subject: a crash keeps what was measured)
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { NativeEnvironment } from "../../harness/env/native/native-environment.js";
import { runScenario } from "../../harness/run/run-scenario.js";
import { mdTable } from "../../harness/report/format.js";
import { repoRoot } from "../../harness/env/stack-paths.js";
import { expectationOf, stabilityScenario, stabilitySubjects } from "../support/stability.js";
import { folderStamp } from "../../harness/util/folder-stamp.js";
import { writeComparePage } from "../../harness/report/compare-html.js";
import { Progress } from "../../harness/util/progress.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "20" }, only: { type: "string" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a whole number >= 1, got "${values.runs}"`);
  process.exit(2);
}
const subjects = (await stabilitySubjects("profile")).filter(
  (s) => !values.only || s.pattern === values.only || `${s.pattern}/${s.name}` === values.only,
);
if (!subjects.length) {
  console.error(`--only ${values.only}: no such pattern or strategy; \`bin/dgh list\` shows them`);
  process.exit(2);
}

const stamp = folderStamp();
const benchDir = path.join(repoRoot, "reports", `${stamp}-stability-bench`);
const runsDir = path.join(benchDir, "runs");
fs.mkdirSync(runsDir, { recursive: true });
const env = await NativeEnvironment.start({ connect: true, log: (l) => console.error(`[env] ${l}`) });

interface Row {
  subject: string;
  control: boolean;
  runs: number;
  asExpected: number;
  falseVerdicts: number;
  unknown: number;
  faultsApplied: number;
  faults: number;
}
const rows: Row[] = [];
const listed: string[] = [];
const t0 = performance.now();

function writeSummary(): void {
  const falseTotal = rows.reduce((n, r) => n + r.falseVerdicts, 0);
  fs.writeFileSync(
    path.join(benchDir, "summary.md"),
    [
      "# Stability benchmark",
      "",
      `${runs} run(s) per strategy, each under one of its conformance cases (references: their pattern's profile and their own cases inside their claims; controls: their own) with every fault moved up to ±1 s, seeds 7000…${7000 + runs - 1}. Native stack, 2 cores; ${Math.round((performance.now() - t0) / 60_000)} min so far.`,
      "",
      `**False verdicts: ${falseTotal}** (a reference judged FAIL, a control judged PASS).`,
      "",
      mdTable(
        ["strategy", "runs", "as expected", "false verdicts", "unknown", "faults applied with proof"],
        rows.map((r) => [
          `${r.subject}${r.control ? " (control)" : ""}`,
          r.runs,
          r.asExpected,
          r.falseVerdicts,
          r.unknown,
          `${r.faultsApplied}/${r.faults}`,
        ]),
      ),
      "",
      "## Runs that were not as expected",
      "",
      ...(listed.length ? listed : ["None."]),
      "",
    ].join("\n"),
  );
}

const progress = new Progress("stability", subjects.length * runs);
try {
  for (const s of subjects) {
    const row: Row = {
      subject: `${s.pattern}/${s.name}`,
      control: Boolean(s.strategy.control),
      runs: 0,
      asExpected: 0,
      falseVerdicts: 0,
      unknown: 0,
      faultsApplied: 0,
      faults: 0,
    };
    rows.push(row);
    for (let k = 0; k < runs; k++) {
      const { scenario, drawn } = stabilityScenario(s, k);
      progress.step(`${row.subject} run ${k + 1} of ${runs}: ${drawn.name}`);
      const r = await runScenario(scenario, { env, reportsDir: runsDir, log: () => {} });
      const e = expectationOf(s, drawn, r);
      row.runs++;
      row.faults += r.faults.length;
      row.faultsApplied += r.faults.filter((f) => f.outcome === "applied").length;
      if (e.met === true) row.asExpected++;
      else {
        if (e.met === false) row.falseVerdicts++;
        else row.unknown++;
        listed.push(
          `- ${e.met === false ? "**false verdict**" : "unknown"}: ${row.subject} under "${drawn.name}" (seed ${scenario.seed}): ${e.says} — [summary](${path.relative(benchDir, r.runDir)}/summary.md)`,
        );
      }
      console.error(`[stability] ${r.judgement.result.toUpperCase()}: ${e.says}`);
    }
    writeSummary();
  }
} finally {
  writeSummary();
  await env.teardown();
}
console.log(`stability report: ${path.join(benchDir, "summary.md")}`);
console.log(`comparison page: ${writeComparePage(benchDir) ?? "no runs"}`);
