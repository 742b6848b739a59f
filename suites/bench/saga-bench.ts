/**
 * The saga benchmark: orchestration in PostgreSQL, Temporal and choreography, at the same offered load (latency of the
 * happy and the compensating path, cost per saga, engine memory), saga latency against offered rate (where each
 * stops keeping up), and the strategy × fault table (verdict, sagas stuck or half-done, recovery).
 * Run: npm run bench:saga [-- --quick]  → reports/<time>-saga-bench/summary.md and compare.html
 */
import fs from "node:fs";
import path from "node:path";
import { NativeEnvironment } from "../../harness/env/native/native-environment.js";
import { runScenario, type RunResult } from "../../harness/run/run-scenario.js";
import { parseScenario } from "../../harness/scenario/load.js";
import { listStrategies, loadStrategy } from "../../harness/run/catalog.js";
import { mdTable, ms, num } from "../../harness/report/format.js";
import { repoRoot } from "../../harness/env/stack-paths.js";
import type { TimedFault } from "../../harness/faults/fault-spec.js";
import { writeComparePage } from "../../harness/report/compare-html.js";
import { type Curve, curveFrom } from "../../harness/report/curve-charts.js";
import { folderStamp } from "../../harness/util/folder-stamp.js";
import { rssKiB } from "../../harness/util/proc-stats.js";

const quick = process.argv.includes("--quick");
const benchDir = path.join(repoRoot, "reports", `${folderStamp()}-saga-bench`);
const runsDir = path.join(benchDir, "runs");
fs.mkdirSync(runsDir, { recursive: true });
const env = await NativeEnvironment.start({ log: (l) => console.error(`[env] ${l}`) });
const t0 = performance.now();
await env.ensureTemporal();
const temporalStartMs = performance.now() - t0;
const temporalIdleMiB = rssKiB(env.control("temporal").pid!) / 1024;
const references = ["orchestration-db", "orchestration-temporal", "choreography"];
const curves: Curve[] = [];

async function run(strategy: string, rate: number, durationS: number, faults: TimedFault[] = [], baselineS = 0) {
  const scenario = parseScenario({
    pattern: "saga",
    strategy,
    seed: 9,
    durationS,
    warmupS: 2,
    baselineS,
    quiesceTimeoutS: 90,
    workload: { mode: "open", rateOpsPerS: rate, keyCount: 100 },
    faults: { timeline: faults },
  });
  console.error(`\n[bench] ${strategy} at ${rate}/s, ${faults.map((f) => f.fault.kind).join("+") || "no faults"}`);
  return runScenario(scenario, { env, reportsDir: runsDir, progressEveryMs: 60_000 });
}
const rel = (r: RunResult) => path.relative(benchDir, r.runDir);
const count = (r: RunResult, anomaly: string) =>
  [...r.judgement.violations, ...r.judgement.allowed]
    .filter((v) => v.anomaly === anomaly)
    .reduce((s, v) => s + v.count, 0);
const out: string[] = [
  "# Saga benchmark",
  "",
  `Native stack, 2 cores. Temporal's dev server (CLI 1.5.1, SQLite) started in ${num(temporalStartMs)} ms and held ${num(temporalIdleMiB)} MiB idle. Saga latency = order accepted → saga completed or compensated (observed in the orders table). Workload: 5% of orders sold out, 10% declined cards, 10% failing at confirmation (refund, then release); 5% of commands sent twice.`,
  "",
];

try {
  // 1. The same offered load, where both keep up.
  const same: RunResult[] = [];
  for (const s of references) same.push(await run(s, 10, quick ? 8 : 15, [], same.length ? 0 : 3));
  for (const s of ["orchestration-db", "choreography"]) same.push(await run(s, 50, quick ? 8 : 15));
  const lat = (r: RunResult, k: string) => r.latency[k];
  out.push(
    "## Latency and cost, no faults",
    "",
    mdTable(
      [
        "strategy",
        "sagas/s",
        "completed p50 ms",
        "completed p99 ms",
        "compensated p50 ms",
        "compensated p99 ms",
        "order accepted p50 ms",
        "messages/saga",
        "DB row writes/saga",
        "engine CPU ms/s",
        "engine RSS MiB",
        "run",
      ],
      same.map((r) => [
        r.strategy.name,
        num(r.scenario.workload.rateOpsPerS),
        ms(lat(r, "saga completed")?.p50Us),
        ms(lat(r, "saga completed")?.p99Us),
        ms(lat(r, "saga compensated")?.p50Us),
        ms(lat(r, "saga compensated")?.p99Us),
        ms(lat(r, "order")?.p50Us),
        num(r.strategyStats.messagesPerSaga, 1),
        num(r.strategyStats.dbRowWritesPerSaga, 1),
        num(r.strategyStats.orchestratorCpuMsPerS),
        num(r.strategyStats.engineRssMiB),
        `[run](${rel(r)}/summary.md)`,
      ]),
    ),
    "",
    "Engine: the orchestrator process (orchestration-db), or Temporal's server plus its worker. Raw baselines of the first run:",
    "",
    mdTable(
      ["baseline", "ops/s", "p50 ms", "p99 ms"],
      same[0]!.baselines.map((b) => [b.name, num(b.opsPerS), ms(b.latency?.p50Us), ms(b.latency?.p99Us)]),
    ),
    "",
  );

  // 2. Where each stops keeping up.
  const rates: Record<string, number[]> = quick
    ? { "orchestration-db": [20, 80], "orchestration-temporal": [5, 20], choreography: [20, 80] }
    : {
        "orchestration-db": [10, 25, 50, 100, 150],
        "orchestration-temporal": [5, 10, 20, 40],
        choreography: [10, 25, 50, 100, 150],
      };
  const sweep: RunResult[] = [];
  for (const s of references) for (const rate of rates[s]!) sweep.push(await run(s, rate, 8));
  curves.push(
    curveFrom(sweep, {
      title: "Saga latency against offered load",
      note: "p50 from order accepted to saga ended. Where a curve turns up, the strategy stopped keeping up and sagas queue.",
      x: { label: "orders/s offered (log)", log: true },
      xOf: (r) => r.scenario.workload.rateOpsPerS,
      seriesOf: (r) => r.strategy.name,
      y: { label: "saga latency p50 (ms, log)", log: true },
      yOf: (r) => (r.latency["end-to-end"] ? r.latency["end-to-end"].p50Us / 1000 : undefined),
    }),
  );
  out.push(
    "## Saga latency against offered load (8 s each)",
    "",
    mdTable(
      ["strategy", "orders/s", "saga p50 ms", "saga p99 ms", "verdict", "run"],
      sweep.map((r) => [
        r.strategy.name,
        num(r.scenario.workload.rateOpsPerS),
        ms(r.latency["end-to-end"]?.p50Us),
        ms(r.latency["end-to-end"]?.p99Us),
        r.judgement.result.toUpperCase(),
        `[run](${rel(r)}/summary.md)`,
      ]),
    ),
    "",
  );

  // 3. Strategy × fault, each at the rate it keeps up with.
  const faults: { name: string; faults: TimedFault[]; only?: string }[] = [
    {
      name: "orchestrator / Temporal worker crash between steps",
      faults: [{ atS: 2, forS: 3, fault: { kind: "crash-at", target: "orchestrator", failpoint: "after-step" } }],
    },
    {
      name: "crash mid-compensation",
      faults: [{ atS: 2, forS: 3, fault: { kind: "crash-at", target: "orchestrator", failpoint: "mid-compensation" } }],
    },
    {
      name: "payment killed after its commit, before its reply",
      faults: [{ atS: 2, forS: 3, fault: { kind: "crash-at", target: "payment", failpoint: "after-commit" } }],
    },
    { name: "Kafka link down 3 s", faults: [{ atS: 2, forS: 3, fault: { kind: "link-down", service: "kafka" } }] },
    { name: "PostgreSQL restart", faults: [{ atS: 2, forS: 0, fault: { kind: "restart", target: "postgres" } }] },
    {
      name: "Temporal server restart",
      only: "orchestration-temporal",
      faults: [{ atS: 2, forS: 0, fault: { kind: "restart", target: "temporal" } }],
    },
  ];
  const rows: string[][] = [];
  for (const s of listStrategies("saga")) {
    const strategy = await loadStrategy("saga", s);
    const workers = strategy.workers?.({}) ?? {};
    const row = [s];
    for (const f of faults) {
      // Who stands for the orchestrator: the Temporal worker (after-reply is "between steps"), or in choreography
      // the order service (it has no compensation step of its own).
      const stand: Record<string, { target: string; failpoints: Record<string, string> }> = {
        "orchestration-temporal": { target: "temporal-worker", failpoints: { "after-step": "after-reply" } },
        choreography: { target: "orders", failpoints: {} },
      };
      const timeline = f.faults.map((t) => {
        const by = stand[s];
        if (!by || t.fault.target !== "orchestrator") return t;
        const fp = String(t.fault.failpoint);
        return { ...t, fault: { ...t.fault, target: by.target, failpoint: by.failpoints[fp] ?? fp } };
      });
      const applicable =
        (!f.only || f.only === s) &&
        timeline.every(
          (t) => t.fault.kind !== "crash-at" || workers[String(t.fault.target)]?.includes(String(t.fault.failpoint)),
        );
      if (!applicable || (quick && strategy.control)) {
        row.push("n/a");
        continue;
      }
      // 20 s: a restarted orchestrator works off the backlog of the seconds it was down before latency settles.
      const r = await run(s, s === "orchestration-temporal" ? 10 : 50, quick ? 10 : 20, timeline);
      const rec = r.recoveryMs[0];
      row.push(
        `${r.judgement.result.toUpperCase()}: partial ${count(r, "partial-saga")}, stuck ${count(r, "stuck-saga")}, double ${count(r, "duplicate-effect") + count(r, "double-compensation")}, recovery ${rec == null ? "–" : `${num(rec)} ms`} [run](${rel(r)}/summary.md)`,
      );
    }
    rows.push(row);
  }
  out.push(
    "## Strategy × fault",
    "",
    "Each cell: verdict against the claims (sagas atomic, effects exactly-once); sagas half-done, still running after quiesce, charged/reserved or compensated twice; recovery = from the fault's end until saga latency is back near its pre-fault level. orchestration-temporal runs at 10 orders/s, the others at 50; n/a: the strategy has no such step.",
    "",
    mdTable(["strategy", ...faults.map((f) => f.name)], rows),
    "",
  );
} finally {
  await env.teardown();
}
fs.writeFileSync(path.join(benchDir, "summary.md"), out.join("\n"));
console.log(out.join("\n"));
console.log(`\nreport: ${path.join(benchDir, "summary.md")}`);
console.log(`comparison page: ${writeComparePage(benchDir, curves) ?? "no runs"}`);
