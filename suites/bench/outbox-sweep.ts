/**
 * The outbox benchmark: every strategy at the same offered load (latency, relay cost, database load), the
 * polling interval × batch size trade-off, the clean-up policies, and closed-loop capacity — all on one stack,
 * beside raw PostgreSQL commit and raw Kafka produce measured in the same runs.
 * Run: npm run bench:outbox [-- --quick]  → reports/<time>-outbox-bench/summary.md
 */
import fs from "node:fs";
import path from "node:path";
import { NativeEnvironment } from "../../harness/env/native/native-environment.js";
import { runScenario, type RunResult } from "../../harness/run/run-scenario.js";
import { parseScenario } from "../../harness/scenario/load.js";
import { mdTable, ms, num, pct, ratio } from "../../harness/report/format.js";
import { repoRoot } from "../../harness/env/stack-paths.js";

const quick = process.argv.includes("--quick");
const durationS = quick ? 6 : 15;
const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
const benchDir = path.join(repoRoot, "reports", `${stamp}-outbox-bench`);
const runsDir = path.join(benchDir, "runs");
fs.mkdirSync(runsDir, { recursive: true });
const env = await NativeEnvironment.start({ connect: true, log: (l) => console.error(`[env] ${l}`) });

async function run(strategy: string, options: Record<string, unknown>, workload: Record<string, unknown>): Promise<RunResult> {
  const scenario = parseScenario({ pattern: "outbox", strategy, seed: 11, durationS, warmupS: 2, baselineS: 2, quiesceTimeoutS: 60, options, workload: { keyCount: 200, ...workload } });
  console.error(`\n[bench] ${strategy} ${JSON.stringify(options)} ${JSON.stringify(workload)}`);
  return runScenario(scenario, { env, reportsDir: runsDir, progressEveryMs: 60_000 });
}
const e2e = (r: RunResult) => r.latency["end-to-end"];
const rel = (r: RunResult) => path.relative(benchDir, r.runDir);
const pgBase = (r: RunResult) => r.baselines.find((b) => b.name.includes("PostgreSQL"))?.opsPerS ?? 0;
const kBase = (r: RunResult) => r.baselines.find((b) => b.name.includes("Kafka"))?.opsPerS ?? 0;
const out: string[] = ["# Outbox benchmark", "", `Native stack on this machine (2 cores); each run ${durationS}s measured after 2s warm-up, no faults; raw baselines measured at the start of every run.`, ""];

try {
  // 1. Same offered load for every strategy.
  const rate = 300;
  const same: [string, Record<string, unknown>][] = [["polling", {}], ["polling", { pollIntervalMs: 10 }], ["cdc-pgoutput", {}], ["cdc-debezium", {}], ["cdc-debezium", { pollIntervalMs: 10 }], ["dual-write", {}]];
  const a: RunResult[] = [];
  for (const [s, o] of same) a.push(await run(s, o, { mode: "open", rateOpsPerS: rate }));
  out.push(`## Every strategy at ${rate} orders/s (open loop)`, "", "End-to-end = from the order's commit acknowledgement to the downstream consumer receiving its event.", "",
    mdTable(["strategy", "options", "e2e p50 ms", "e2e p99 ms", "e2e p99.9 ms", "e2e max ms", "order commit p50 ms", "relay CPU ms/s", "relay queries/s", "outbox rows scanned/s", "run"],
      a.map((r) => [r.strategy.name, JSON.stringify(r.scenario.options), ms(e2e(r)?.p50Us), ms(e2e(r)?.p99Us), ms(e2e(r)?.p999Us), ms(e2e(r)?.maxUs), ms(r.latency.order?.p50Us),
        num(r.strategyStats.relayCpuMsPerS, 1), num(r.strategyStats.relayQueriesPerS, 1), num((r.strategyStats.outboxRowsScanned ?? 0) / r.scenario.durationS), rel(r)])), "");

  // 2. Polling: interval × batch size.
  const b: RunResult[] = [];
  for (const pollIntervalMs of quick ? [10, 500] : [10, 50, 200, 1000]) for (const batchSize of quick ? [100] : [10, 100, 1000]) {
    b.push(await run("polling", { pollIntervalMs, batchSize }, { mode: "open", rateOpsPerS: rate }));
  }
  out.push("## Polling: interval × batch size (the latency / load trade-off)", "",
    mdTable(["pollIntervalMs", "batchSize", "e2e p50 ms", "e2e p99 ms", "relay queries/s", "relay CPU ms/s", "empty polls", "rows scanned/s", "run"],
      b.map((r) => [String(r.scenario.options.pollIntervalMs), String(r.scenario.options.batchSize), ms(e2e(r)?.p50Us), ms(e2e(r)?.p99Us), num(r.strategyStats.relayQueriesPerS, 1),
        num(r.strategyStats.relayCpuMsPerS, 1), num(r.strategyStats.emptyPolls), num((r.strategyStats.outboxRowsScanned ?? 0) / r.scenario.durationS), rel(r)])), "");

  // 3. Clean-up: mark + retention vs delete.
  const c: RunResult[] = [];
  for (const cleanup of ["mark", "delete"]) c.push(await run("polling", { cleanup, retentionS: 5 }, { mode: "open", rateOpsPerS: rate }));
  out.push("## Polling: clean-up policy", "", "`mark` sets published_at and a retention job deletes marked rows older than 5 s; `delete` removes rows in the publishing transaction.", "",
    mdTable(["cleanup", "e2e p50 ms", "relay queries/s", "outbox live rows", "dead rows", "table KiB", "retention deleted", "run"],
      c.map((r) => [String(r.scenario.options.cleanup), ms(e2e(r)?.p50Us), num(r.strategyStats.relayQueriesPerS, 1), num(r.strategyStats.outboxLiveRows), num(r.strategyStats.outboxDeadRows),
        num(r.strategyStats.outboxTableKiB), num(r.strategyStats.retentionDeleted), rel(r)])), "");

  // 4. Capacity: closed loop, 16 clients.
  const d: RunResult[] = [];
  for (const s of ["polling", "cdc-pgoutput", "cdc-debezium", "dual-write"]) d.push(await run(s, s === "polling" ? { pollIntervalMs: 10 } : {}, { mode: "closed", concurrency: 16 }));
  out.push("## Capacity: closed loop, 16 clients", "", "Ratios are to the raw baselines measured at the start of the same run, through the same Toxiproxy route and with the same client count.", "",
    mdTable(["strategy", "orders/s", "÷ raw PG commit", "÷ raw Kafka produce", "e2e p50 ms", "e2e p99 ms", "dup rate", "verdict", "run"],
      d.map((r) => [r.strategy.name, num(r.measure.okPerS), ratio(r.measure.okPerS, pgBase(r)), ratio(r.measure.okPerS, kBase(r)), ms(e2e(r)?.p50Us), ms(e2e(r)?.p99Us),
        pct(r.verdicts.find((v) => v.checker === "duplicate-delivery")?.stats.duplicateRate), r.judgement.result, rel(r)])), "");
  out.push("Raw baselines of those runs:", "", mdTable(["run", "raw PG commit ops/s", "raw Kafka produce ops/s"], d.map((r) => [r.strategy.name, num(pgBase(r)), num(kBase(r))])), "");
} finally {
  await env.teardown();
}
fs.writeFileSync(path.join(benchDir, "summary.md"), out.join("\n"));
console.log(out.join("\n"));
console.log(`\nreport: ${path.join(benchDir, "summary.md")}`);
