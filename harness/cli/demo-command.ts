import fs from "node:fs";
import path from "node:path";
import { NativeEnvironment } from "../env/native/native-environment.js";
import { listPatterns, listStrategies, loadPattern, loadStrategy } from "../run/catalog.js";
import { defaultCase } from "../run/conformance-cases.js";
import { runScenario } from "../run/run-scenario.js";
import { parseScenario } from "../scenario/load.js";
import { compareRuns } from "../report/compare.js";
import { repoRoot } from "../env/stack-paths.js";
import { faultName } from "../faults/fault-spec.js";
import { Progress } from "../util/progress.js";
import { writeCompareHtml } from "../report/compare-html.js";
import { folderStamp } from "../util/folder-stamp.js";

/**
 * The README's first command: start the stack once, run every strategy of every pattern under its first
 * conformance fault, and write one comparison report beside the run folders.
 */
export async function demoCommand(durationS = 6): Promise<number> {
  const stamp = folderStamp();
  const reportsDir = path.join(repoRoot, "reports");
  const demoDir = path.join(reportsDir, `${stamp}-demo`);
  fs.mkdirSync(demoDir, { recursive: true });
  console.error(`[demo] starting PostgreSQL, Redis, Kafka, Toxiproxy and Kafka Connect + Debezium`);
  const env = await NativeEnvironment.start({ connect: true, log: (l) => console.error(`[env] ${l}`) });
  const runs: string[] = [];
  const lines: string[] = [];
  let unexpected = 0;
  const progress = new Progress(
    "demo",
    listPatterns().reduce((n, p) => n + listStrategies(p).length, 0),
  );
  try {
    for (const pattern of listPatterns()) {
      for (const name of listStrategies(pattern)) {
        const strategy = await loadStrategy(pattern, name);
        const c = defaultCase(await loadPattern(pattern), strategy);
        const scenario = parseScenario({
          pattern,
          strategy: name,
          seed: 42,
          durationS,
          warmupS: 1,
          baselineS: 1,
          workload: { mode: "open", rateOpsPerS: 200, keyCount: 100, ...c?.workload },
          options: c?.options ?? {},
          faults: { timeline: c?.faults ?? [] },
        });
        progress.step(`${pattern}/${name} under: ${c?.faults.map((f) => faultName(f.fault)).join(", ") || "no fault"}`);
        const r = await runScenario(scenario, { env, reportsDir });
        runs.push(r.runDir);
        if (r.expectation.met !== true) unexpected++;
        const proven = r.faults.filter((f) => f.outcome === "applied").length;
        lines.push(
          `- ${pattern}/${name}${strategy.control ? " (control)" : ""}: **${r.judgement.result.toUpperCase()}**, ${r.expectation.met === true ? "as expected" : "NOT as expected"} (${r.expectation.says}) under ${c?.name ?? "no fault"}, faults applied with proof ${proven}/${r.faults.length}: [summary](${path.relative(demoDir, r.runDir)}/summary.md)`,
        );
      }
    }
  } finally {
    await env.teardown();
  }
  const table = compareRuns(runs);
  const startMs = Object.entries(env.startMs)
    .map(([k, v]) => `${k} ${v} ms`)
    .join(", ");
  fs.writeFileSync(
    path.join(demoDir, "summary.md"),
    [
      "# dgh demo",
      "",
      `Stack start (native): ${startMs}.`,
      "",
      ...lines,
      "",
      table,
      "",
      "Reference strategies must PASS (their claims held under the fault); controls must FAIL with the anomaly they exist to show.",
      "",
    ].join("\n"),
  );
  writeCompareHtml(runs, path.join(demoDir, "compare.html"));
  console.log(
    `\n${table}\n\n${lines.join("\n")}\n\ndemo report: ${path.join(demoDir, "summary.md")} and compare.html beside it`,
  );
  return unexpected ? 1 : 0;
}
