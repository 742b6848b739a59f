/**
 * The outbox benchmark: every strategy at the same offered load (latency, relay cost, database load), the
 * polling interval × batch size trade-off, the clean-up policies, and closed-loop capacity — all on one stack,
 * beside raw PostgreSQL commit and raw Kafka produce measured in the same runs.
 * Run: npm run bench:outbox [-- --quick | --faults-only]  → reports/<time>-outbox-bench/summary.md
 */
import fs from "node:fs";
import path from "node:path";
import { NativeEnvironment } from "../../harness/env/native/native-environment.js";
import { runScenario, type RunResult } from "../../harness/run/run-scenario.js";
import { parseScenario } from "../../harness/scenario/load.js";
import { mdTable, ms, num, pct, ratio } from "../../harness/report/format.js";
import { repoRoot } from "../../harness/env/stack-paths.js";
import { loadStrategy } from "../../harness/run/catalog.js";
import type { TimedFault } from "../../harness/faults/fault-spec.js";
import { writeComparePage } from "../../harness/report/compare-html.js";
import { type Curve, curveFrom } from "../../harness/report/curve-charts.js";
import { folderStamp } from "../../harness/util/folder-stamp.js";

const quick = process.argv.includes("--quick");
const faultsOnly = process.argv.includes("--faults-only");
const durationS = quick ? 6 : 15;
const stamp = folderStamp();
const benchDir = path.join(repoRoot, "reports", `${stamp}-outbox-bench`);
const runsDir = path.join(benchDir, "runs");
fs.mkdirSync(runsDir, { recursive: true });
const env = await NativeEnvironment.start({ connect: true, log: (l) => console.error(`[env] ${l}`) });

async function run(
  strategy: string,
  options: Record<string, unknown>,
  workload: Record<string, unknown>,
): Promise<RunResult> {
  const scenario = parseScenario({
    pattern: "outbox",
    strategy,
    seed: 11,
    durationS,
    warmupS: 2,
    baselineS: 2,
    quiesceTimeoutS: 60,
    options,
    workload: { keyCount: 200, ...workload },
  });
  console.error(`\n[bench] ${strategy} ${JSON.stringify(options)} ${JSON.stringify(workload)}`);
  return runScenario(scenario, { env, reportsDir: runsDir, progressEveryMs: 60_000 });
}
const e2e = (r: RunResult) => r.latency["end-to-end"];
const rel = (r: RunResult) => path.relative(benchDir, r.runDir);
const pgBase = (r: RunResult) => r.baselines.find((b) => b.name.includes("PostgreSQL"))?.opsPerS ?? 0;
const kBase = (r: RunResult) => r.baselines.find((b) => b.name.includes("Kafka"))?.opsPerS ?? 0;
/** Charts for the comparison page, beside the tables of summary.md. */
const curves: Curve[] = [];
const out: string[] = [
  "# Outbox benchmark",
  "",
  `Native stack on this machine (2 cores); each run ${durationS}s measured after 2s warm-up, no faults; raw baselines measured at the start of every run.`,
  "",
];

try {
  if (!faultsOnly) await figures();
  await faultTable();
} finally {
  await env.teardown();
}
fs.writeFileSync(path.join(benchDir, "summary.md"), out.join("\n"));
console.log(out.join("\n"));
console.log(`\nreport: ${path.join(benchDir, "summary.md")}`);
console.log(`comparison page: ${writeComparePage(benchDir, curves) ?? "no runs"}`);

/** Strategy × fault: verdict, duplicates, losses and recovery, every strategy under the same faults. */
async function faultTable(): Promise<void> {
  const faults: { name: string; faults: TimedFault[] }[] = [
    {
      name: "relay crash after publish",
      faults: [{ atS: 3, forS: 2, fault: { kind: "crash-at", target: "relay", failpoint: "after-publish" } }],
    },
    { name: "Connect worker killed", faults: [{ atS: 3, forS: 2, fault: { kind: "kill", target: "connect" } }] },
    { name: "Kafka link down 3 s", faults: [{ atS: 3, forS: 3, fault: { kind: "link-down", service: "kafka" } }] },
    {
      name: "PostgreSQL +200 ms",
      faults: [
        {
          atS: 3,
          forS: 3,
          fault: {
            kind: "toxic",
            service: "postgres",
            toxic: { type: "latency", attributes: { latency: 200, jitter: 50 } },
          },
        },
      ],
    },
    { name: "PostgreSQL restart", faults: [{ atS: 3, forS: 0, fault: { kind: "restart", target: "postgres" } }] },
  ];
  const rows: string[][] = [];
  for (const s of ["polling", "cdc-pgoutput", "cdc-debezium", "dual-write"]) {
    const strategy = await loadStrategy("outbox", s);
    const row = [s];
    for (const f of faults) {
      const fps = strategy.workers?.({}) ?? {};
      const applicable = f.faults.every((t) =>
        t.fault.kind === "crash-at"
          ? fps[String(t.fault.target)]?.includes(String(t.fault.failpoint))
          : t.fault.kind !== "kill" || t.fault.target !== "connect" || strategy.needs?.includes("connect"),
      );
      if (!applicable) {
        row.push("n/a");
        continue;
      }
      const scenario = parseScenario({
        pattern: "outbox",
        strategy: s,
        seed: 11,
        durationS: 10,
        warmupS: 2,
        baselineS: 0,
        quiesceTimeoutS: 60,
        options: {},
        workload: { mode: "open", rateOpsPerS: 300, keyCount: 200 },
        faults: { timeline: f.faults },
      });
      console.error(`\n[bench] ${s} under ${f.name}`);
      const r = await runScenario(scenario, { env, reportsDir: runsDir, progressEveryMs: 60_000 });
      const n = (a: string) =>
        [...r.judgement.violations, ...r.judgement.allowed]
          .filter((v) => v.anomaly === a)
          .reduce((x, v) => x + v.count, 0);
      const dup = r.verdicts.find((v) => v.checker === "duplicate-delivery")?.stats.duplicateRate;
      row.push(
        `${r.judgement.result.toUpperCase()}: lost ${n("lost")}, phantom ${n("phantom")}, reordered ${n("reordered")}, dup ${pct(dup)}, recovery ${r.recoveryMs[0] == null ? "–" : `${num(r.recoveryMs[0])} ms`} [run](${rel(r)}/summary.md)`,
      );
    }
    rows.push(row);
  }
  out.push(
    "## Strategy × fault (300 orders/s, fault at 3 s)",
    "",
    "Verdict against the strategy's claims; counts of lost events, phantoms, reordered events; duplicate delivery rate; recovery = from the fault's end until end-to-end latency is back under 3× its pre-fault median.",
    "",
    mdTable(["strategy", ...faults.map((f) => f.name)], rows),
    "",
  );
}

async function figures(): Promise<void> {
  // 1. Same offered load for every strategy.
  const rate = 300;
  const same: [string, Record<string, unknown>][] = [
    ["polling", {}],
    ["polling", { pollIntervalMs: 10 }],
    ["cdc-pgoutput", {}],
    ["cdc-debezium", {}],
    ["cdc-debezium", { pollIntervalMs: 10 }],
    ["dual-write", {}],
  ];
  const a: RunResult[] = [];
  for (const [s, o] of same) a.push(await run(s, o, { mode: "open", rateOpsPerS: rate }));
  out.push(
    `## Every strategy at ${rate} orders/s (open loop)`,
    "",
    "End-to-end = from the order's commit acknowledgement to the downstream consumer receiving its event.",
    "",
    mdTable(
      [
        "strategy",
        "options",
        "e2e p50 ms",
        "e2e p99 ms",
        "e2e p99.9 ms",
        "e2e max ms",
        "order commit p50 ms",
        "relay CPU ms/s",
        "relay queries/s",
        "outbox rows scanned/s",
        "run",
      ],
      a.map((r) => [
        r.strategy.name,
        JSON.stringify(r.scenario.options),
        ms(e2e(r)?.p50Us),
        ms(e2e(r)?.p99Us),
        ms(e2e(r)?.p999Us),
        ms(e2e(r)?.maxUs),
        ms(r.latency.order?.p50Us),
        num(r.strategyStats.relayCpuMsPerS, 1),
        num(r.strategyStats.relayQueriesPerS, 1),
        num((r.strategyStats.outboxRowsScanned ?? 0) / r.scenario.durationS),
        rel(r),
      ]),
    ),
    "",
  );

  // 2. Polling: interval × batch size.
  const b: RunResult[] = [];
  for (const pollIntervalMs of quick ? [10, 500] : [10, 50, 200, 1000])
    for (const batchSize of quick ? [100] : [10, 100, 1000]) {
      b.push(await run("polling", { pollIntervalMs, batchSize }, { mode: "open", rateOpsPerS: rate }));
    }
  const polling = {
    x: { label: "polling interval (ms, log)", log: true },
    xOf: (r: RunResult) => Number(r.scenario.options.pollIntervalMs),
    seriesOf: (r: RunResult) => `batch ${r.scenario.options.batchSize}`,
  };
  curves.push(
    curveFrom(b, {
      ...polling,
      title: `Polling: end-to-end latency against the interval (${rate} orders/s)`,
      note: "p50 (the interval's own cost is about half of it) — a longer interval is paid in latency by every order.",
      y: { label: "end-to-end p50 (ms, log)", log: true },
      yOf: (r) => (e2e(r) ? e2e(r)!.p50Us / 1000 : undefined),
    }),
    curveFrom(b, {
      ...polling,
      title: "Polling: relay queries against the interval",
      note: "What a short interval costs the database, mostly empty polls at this load.",
      y: { label: "relay queries/s (log)", log: true },
      yOf: (r) => r.strategyStats.relayQueriesPerS,
    }),
  );
  out.push(
    "## Polling: interval × batch size (the latency / load trade-off)",
    "",
    mdTable(
      [
        "pollIntervalMs",
        "batchSize",
        "e2e p50 ms",
        "e2e p99 ms",
        "relay queries/s",
        "relay CPU ms/s",
        "empty polls",
        "rows scanned/s",
        "run",
      ],
      b.map((r) => [
        String(r.scenario.options.pollIntervalMs),
        String(r.scenario.options.batchSize),
        ms(e2e(r)?.p50Us),
        ms(e2e(r)?.p99Us),
        num(r.strategyStats.relayQueriesPerS, 1),
        num(r.strategyStats.relayCpuMsPerS, 1),
        num(r.strategyStats.emptyPolls),
        num((r.strategyStats.outboxRowsScanned ?? 0) / r.scenario.durationS),
        rel(r),
      ]),
    ),
    "",
  );

  // 3. Clean-up: mark + retention vs delete.
  const c: RunResult[] = [];
  for (const cleanup of ["mark", "delete"])
    c.push(await run("polling", { cleanup, retentionS: 5 }, { mode: "open", rateOpsPerS: rate }));
  out.push(
    "## Polling: clean-up policy",
    "",
    "`mark` sets published_at and a retention job deletes marked rows older than 5 s; `delete` removes rows in the publishing transaction.",
    "",
    mdTable(
      [
        "cleanup",
        "e2e p50 ms",
        "relay queries/s",
        "outbox live rows",
        "dead rows",
        "table KiB",
        "retention deleted",
        "run",
      ],
      c.map((r) => [
        String(r.scenario.options.cleanup),
        ms(e2e(r)?.p50Us),
        num(r.strategyStats.relayQueriesPerS, 1),
        num(r.strategyStats.outboxLiveRows),
        num(r.strategyStats.outboxDeadRows),
        num(r.strategyStats.outboxTableKiB),
        num(r.strategyStats.retentionDeleted),
        rel(r),
      ]),
    ),
    "",
  );

  // 4. Capacity: closed loop, 16 clients.
  const d: RunResult[] = [];
  for (const s of ["polling", "cdc-pgoutput", "cdc-debezium", "dual-write"])
    d.push(await run(s, s === "polling" ? { pollIntervalMs: 10 } : {}, { mode: "closed", concurrency: 16 }));
  out.push(
    "## Capacity: closed loop, 16 clients",
    "",
    "Ratios are to the raw baselines measured at the start of the same run, through the same Toxiproxy route and with the same client count.",
    "",
    mdTable(
      [
        "strategy",
        "orders/s",
        "÷ raw PG commit",
        "÷ raw Kafka produce",
        "e2e p50 ms",
        "e2e p99 ms",
        "dup rate",
        "verdict",
        "run",
      ],
      d.map((r) => [
        r.strategy.name,
        num(r.measure.okPerS),
        ratio(r.measure.okPerS, pgBase(r)),
        ratio(r.measure.okPerS, kBase(r)),
        ms(e2e(r)?.p50Us),
        ms(e2e(r)?.p99Us),
        pct(r.verdicts.find((v) => v.checker === "duplicate-delivery")?.stats.duplicateRate),
        r.judgement.result,
        rel(r),
      ]),
    ),
    "",
  );
  out.push(
    "Raw baselines of those runs:",
    "",
    mdTable(
      ["run", "raw PG commit ops/s", "raw Kafka produce ops/s"],
      d.map((r) => [r.strategy.name, num(pgBase(r)), num(kBase(r))]),
    ),
    "",
  );
}
