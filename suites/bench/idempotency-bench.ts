/**
 * The idempotency benchmark: per-message latency and cost of each guard at the same offered load, what each
 * guard keeps per million payments, and the strategy × fault table (verdict, double charges, lost charges).
 * Run: npm run bench:idempotency  → reports/<time>-idempotency-bench/summary.md
 */
import fs from "node:fs";
import path from "node:path";
import { NativeEnvironment } from "../../harness/env/native/native-environment.js";
import { runScenario, type RunResult } from "../../harness/run/run-scenario.js";
import { parseScenario } from "../../harness/scenario/load.js";
import { listStrategies, loadStrategy } from "../../harness/run/catalog.js";
import { mdTable, ms, num, ratio } from "../../harness/report/format.js";
import { repoRoot } from "../../harness/env/stack-paths.js";
import type { TimedFault } from "../../harness/faults/fault-spec.js";
import { writeComparePage } from "../../harness/report/compare-html.js";
import { folderStamp } from "../../harness/util/folder-stamp.js";

const stamp = folderStamp();
const benchDir = path.join(repoRoot, "reports", `${stamp}-idempotency-bench`);
const runsDir = path.join(benchDir, "runs");
fs.mkdirSync(runsDir, { recursive: true });
const env = await NativeEnvironment.start({ log: (l) => console.error(`[env] ${l}`) });
const strategies = listStrategies("idempotency");

async function run(
  strategy: string,
  durationS: number,
  options: Record<string, unknown>,
  faults: TimedFault[],
  baselineS = 0,
): Promise<RunResult> {
  const scenario = parseScenario({
    pattern: "idempotency",
    strategy,
    seed: 5,
    durationS,
    warmupS: 2,
    baselineS,
    quiesceTimeoutS: 60,
    options,
    workload: { mode: "open", rateOpsPerS: 300, keyCount: 100, params: { redeliverRate: 0.05 } },
    faults: { timeline: faults },
  });
  console.error(
    `\n[bench] ${strategy} ${JSON.stringify(options)} ${faults.map((f) => f.fault.kind).join("+") || "no faults"}`,
  );
  return runScenario(scenario, { env, reportsDir: runsDir, progressEveryMs: 60_000 });
}
const rel = (r: RunResult) => path.relative(benchDir, r.runDir);
const count = (r: RunResult, anomaly: string) =>
  [...r.judgement.violations, ...r.judgement.allowed]
    .filter((v) => v.anomaly === anomaly)
    .reduce((s, v) => s + v.count, 0);
const out: string[] = [
  "# Idempotency benchmark",
  "",
  "Native stack, 2 cores. 300 payment requests/s (5% of them sent twice by the workload), 100 customers. End-to-end = request acknowledged by Kafka → charge committed.",
  "",
];

try {
  const a: RunResult[] = [];
  for (const s of strategies) a.push(await run(s, 15, {}, [], 3));
  const base = (r: RunResult, name: string) => r.baselines.find((b) => b.name.includes(name));
  out.push(
    "## Latency and cost at 300 requests/s, no faults",
    "",
    mdTable(
      [
        "strategy",
        "e2e p50 ms",
        "e2e p99 ms",
        "e2e max ms",
        "consumer CPU µs/message",
        "duplicates skipped",
        "double charges",
        "Redis guard keys",
        "guard MiB per million: Redis",
        "guard MiB per million: DB",
        "run",
      ],
      a.map((r) => {
        const st = r.strategyStats;
        return [
          r.strategy.name,
          ms(r.latency["end-to-end"]?.p50Us),
          ms(r.latency["end-to-end"]?.p99Us),
          ms(r.latency["end-to-end"]?.maxUs),
          num(((st.cpuMs ?? 0) * 1000) / Math.max(1, st.messages ?? 0)),
          num(st.duplicatesSkipped),
          num(count(r, "duplicate-effect")),
          num(st.redisGuardKeys),
          num(st.redisMiBPerMillion, 1),
          num(st.processedEventsMiBPerMillion, 1),
          rel(r),
        ];
      }),
    ),
    "",
  );
  out.push(
    "Raw baselines measured in the same runs (8 concurrent awaited calls, through Toxiproxy):",
    "",
    mdTable(
      [
        "run",
        "Redis SET NX ops/s (p50 ms)",
        "PG commit ops/s (p50 ms)",
        "Kafka produce ops/s",
        "1 PG commit ÷ 1 SET NX (p50)",
      ],
      a.map((r) => {
        const rd = base(r, "Redis"),
          pg = base(r, "PostgreSQL"),
          k = base(r, "Kafka");
        return [
          r.strategy.name,
          `${num(rd?.opsPerS)} (${ms(rd?.latency?.p50Us)})`,
          `${num(pg?.opsPerS)} (${ms(pg?.latency?.p50Us)})`,
          num(k?.opsPerS),
          ratio(pg?.latency?.p50Us ?? 0, rd?.latency?.p50Us ?? 0),
        ];
      }),
    ),
    "",
  );
  out.push(
    "Redis per key: `MEMORY USAGE` of a guard key (key, value and TTL); the DB figure is processed_events with its primary key index.",
    "",
  );

  // Strategy × fault: the same faults for every strategy (a failpoint a strategy does not have is n/a).
  const faults: { name: string; options?: Record<string, unknown>; faults: TimedFault[] }[] = [
    {
      name: "crash after charge",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "consumer", failpoint: "after-charge" } }],
    },
    {
      name: "crash after SET NX",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "consumer", failpoint: "after-setnx" } }],
    },
    {
      name: "Redis restart + redelivery",
      faults: [
        { atS: 2, forS: 3, fault: { kind: "crash-at", target: "consumer", failpoint: "after-charge" } },
        { atS: 3, forS: 0, fault: { kind: "restart", target: "redis" } },
      ],
    },
    {
      name: "TTL 300 ms + late redelivery",
      options: { ttlMs: 300 },
      faults: [{ atS: 2, forS: 3, fault: { kind: "crash-at", target: "consumer", failpoint: "after-charge" } }],
    },
    {
      name: "rebalance (2nd consumer killed)",
      options: { consumers: 2 },
      faults: [{ atS: 2, forS: 3, fault: { kind: "kill", target: "consumer-2" } }],
    },
    { name: "Redis unreachable", faults: [{ atS: 2, forS: 3, fault: { kind: "link-down", service: "redis" } }] },
    {
      name: "PostgreSQL slow 150 ms",
      faults: [
        {
          atS: 2,
          forS: 3,
          fault: {
            kind: "toxic",
            service: "postgres",
            toxic: { type: "latency", attributes: { latency: 150, jitter: 30 } },
          },
        },
      ],
    },
  ];
  const rows: string[][] = [];
  for (const s of strategies) {
    const strategy = await loadStrategy("idempotency", s);
    const row = [s];
    for (const f of faults) {
      const fps = strategy.workers?.(f.options ?? {}) ?? {};
      if (
        f.faults.some(
          (t) => t.fault.kind === "crash-at" && !fps[String(t.fault.target)]?.includes(String(t.fault.failpoint)),
        )
      ) {
        row.push("n/a");
        continue;
      }
      const r = await run(s, 8, f.options ?? {}, f.faults);
      row.push(
        `${r.judgement.result.toUpperCase()}: ${count(r, "duplicate-effect")} double, ${count(r, "lost")} lost [run](${rel(r)}/summary.md)`,
      );
    }
    rows.push(row);
  }
  out.push(
    "## Strategy × fault",
    "",
    "Each cell: verdict against the strategy's claim (effects exactly-once), payments charged twice, payments never charged.",
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
console.log(`comparison page: ${writeComparePage(benchDir) ?? "no runs"}`);
