/**
 * The dead-letter benchmark: blocking retries against retry topics with 0 %, 0.1 % and 1 % poison messages
 * (healthy throughput and latency, consumer lag, time to dead-letter: the price of head-of-line blocking), the
 * declared backoff against the waits measured on a real run, and the strategy × fault table.
 * Run: npm run bench:dlq [-- --quick]  → reports/<time>-dlq-bench/summary.md and compare.html
 */
import fs from "node:fs";
import path from "node:path";
import { NativeEnvironment } from "../../harness/env/native/native-environment.js";
import { runScenario, type RunResult } from "../../harness/run/run-scenario.js";
import { parseScenario } from "../../harness/scenario/load.js";
import { listStrategies } from "../../harness/run/catalog.js";
import { mdTable, ms, num } from "../../harness/report/format.js";
import { repoRoot } from "../../harness/env/stack-paths.js";
import type { TimedFault } from "../../harness/faults/fault-spec.js";
import { writeComparePage } from "../../harness/report/compare-html.js";
import { type Curve, curveFrom } from "../../harness/report/curve-charts.js";
import { folderStamp } from "../../harness/util/folder-stamp.js";
import { declaredWaits } from "../../harness/checkers/dead-letters.js";
import type { Observation } from "../../harness/checkers/types.js";

const quick = process.argv.includes("--quick");
const benchDir = path.join(repoRoot, "reports", `${folderStamp()}-dlq-bench`);
const runsDir = path.join(benchDir, "runs");
fs.mkdirSync(runsDir, { recursive: true });
const env = await NativeEnvironment.start({ log: (l) => console.error(`[env] ${l}`) });
const references = ["blocking-retry", "retry-topics"];
const rate = 100;
const curves: Curve[] = [];

async function run(strategy: string, poisonRate: number, durationS: number, faults: TimedFault[] = [], baselineS = 0) {
  const scenario = parseScenario({
    pattern: "dlq",
    strategy,
    seed: 21,
    durationS,
    warmupS: 2,
    baselineS,
    quiesceTimeoutS: 60,
    workload: { mode: "open", rateOpsPerS: rate, keyCount: 100, params: { poisonRate } },
    faults: { timeline: faults },
  });
  const what = faults.map((f) => f.fault.kind).join("+") || "no faults";
  console.error(`\n[bench] ${strategy}, ${poisonRate * 100}% poison, ${what}`);
  return runScenario(scenario, { env, reportsDir: runsDir, progressEveryMs: 60_000 });
}
const rel = (r: RunResult) => path.relative(benchDir, r.runDir);
const stat = (r: RunResult, checker: string, k: string) => r.verdicts.find((v) => v.checker === checker)?.stats[k];
const count = (r: RunResult, anomaly: string) =>
  [...r.judgement.violations, ...r.judgement.allowed]
    .filter((v) => v.anomaly === anomaly)
    .reduce((s, v) => s + v.count, 0);
const out: string[] = [
  "# Dead-letter benchmark",
  "",
  `Native stack, 2 cores. ${rate} payments/s on 3 partitions, 100 customers. The described backoff (1 s, ×2, at most 60 s per wait, 5 min in all) scaled by 0.005: 5 ms first wait, 300 ms longest, 1.5 s budget, 11 attempts. Poison messages at a fixed spacing, alternately malformed (dead-lettered at once) and breaking a rule (retried through the whole budget). End-to-end = payment acknowledged by Kafka → applied in PostgreSQL.`,
  "",
];

try {
  // 1. The price of a poison message: healthy traffic while poison is retried.
  const shares = quick ? [0, 0.01] : [0, 0.001, 0.01];
  const sweep: RunResult[] = [];
  for (const s of references)
    for (const p of shares) sweep.push(await run(s, p, quick ? 8 : 15, [], sweep.length ? 0 : 3));
  curves.push(
    curveFrom(sweep, {
      title: "Healthy payments' latency against the share of poison messages",
      note: "p99 from acknowledged to applied. A blocking consumer holds a partition for the whole retry budget per poison message that breaks a rule.",
      x: { label: "poison messages (%)" },
      xOf: (r) => Number(r.scenario.workload.params.poisonRate) * 100,
      seriesOf: (r) => r.strategy.name,
      y: { label: "end-to-end p99 (ms, log)", log: true },
      yOf: (r) => (r.latency["end-to-end"] ? r.latency["end-to-end"].p99Us / 1000 : undefined),
    }),
  );
  out.push(
    "## Healthy traffic while poison messages are retried, no faults",
    "",
    mdTable(
      [
        "strategy",
        "poison",
        "applied/s",
        "end-to-end p50 ms",
        "end-to-end p99 ms",
        "max lag",
        "longest partition hold ms",
        "time to dead-letter p50 ms",
        "attempts/message",
        "reordered",
        "verdict",
        "run",
      ],
      sweep.map((r) => [
        r.strategy.name,
        `${num(Number(r.scenario.workload.params.poisonRate) * 100, 1)} %`,
        num((stat(r, "dead-letter-outcomes", "applied") ?? 0) / (r.scenario.durationS + r.scenario.warmupS)),
        ms(r.latency["end-to-end"]?.p50Us),
        ms(r.latency["end-to-end"]?.p99Us),
        num(r.strategyStats.maxLag),
        num(r.strategyStats.longestHoldMs),
        ms(r.latency["time to dead-letter"]?.p50Us),
        num(r.strategyStats.attemptsPerMessage, 2),
        num(count(r, "reordered")),
        r.judgement.result.toUpperCase(),
        `[run](${rel(r)}/summary.md)`,
      ]),
    ),
    "",
    "Raw baselines of the first run:",
    "",
    mdTable(
      ["baseline", "ops/s", "p50 ms", "p99 ms"],
      sweep[0]!.baselines.map((b) => [b.name, num(b.opsPerS), ms(b.latency?.p50Us), ms(b.latency?.p99Us)]),
    ),
    "",
  );

  // 2. The declared backoff against the waits measured, from the dead letters of the 1 % runs.
  const withPoison = sweep.filter((r) => Number(r.scenario.workload.params.poisonRate) === 0.01);
  const waitsOf = (r: RunResult) => {
    const obs = JSON.parse(fs.readFileSync(path.join(r.runDir, "observation.json"), "utf8")) as Observation;
    const byRetry: number[][] = [];
    for (const d of obs.deadLetters ?? []) {
      if (d.errorClass !== "retryable" || !d.attempts) continue;
      for (let i = 1; i < d.attempts.length; i++) {
        const before = d.attempts[i - 1]!;
        byRetry[i - 1] = [...(byRetry[i - 1] ?? []), d.attempts[i]!.atMs - (before.atMs + before.ms)];
      }
    }
    return byRetry.map((xs) => xs.sort((a, b) => a - b));
  };
  const declared = declaredWaits(
    JSON.parse(fs.readFileSync(path.join(sweep[0]!.runDir, "observation.json"), "utf8")).backoff,
  );
  const measured = withPoison.map(waitsOf);
  const pct = (xs: number[] | undefined, q: number) => (xs?.length ? xs[Math.floor(q * (xs.length - 1))] : undefined);
  out.push(
    "## Declared backoff against measured waits (1 % poison runs)",
    "",
    "Each retry's wait = start of the attempt − end of the one before, from the `dgh-attempts` header of each dead letter that broke a rule (retried through the budget). The checker fails a wait shorter than declared (beyond 10 % + 5 ms); a longer one is measured.",
    "",
    mdTable(
      [
        "retry",
        "declared ms",
        ...withPoison.flatMap((r) => [`${r.strategy.name} p50 ms`, `${r.strategy.name} max ms`]),
      ],
      declared.map((d, i) => [
        String(i + 1),
        num(d),
        ...measured.flatMap((m) => [num(pct(m[i], 0.5)), num(pct(m[i], 1))]),
      ]),
    ),
    "",
  );

  // 3. Strategy × fault.
  const faults: { name: string; faults: TimedFault[] }[] = [
    {
      name: "PostgreSQL down 1 s (less than the budget)",
      faults: [{ atS: 2, forS: 1, fault: { kind: "link-down", service: "postgres" } }],
    },
    {
      name: "PostgreSQL down 6 s (more than the budget)",
      faults: [{ atS: 2, forS: 6, fault: { kind: "link-down", service: "postgres" } }],
    },
    { name: "Kafka link down 3 s", faults: [{ atS: 2, forS: 3, fault: { kind: "link-down", service: "kafka" } }] },
    {
      name: "consumer crash before the DLQ write",
      faults: [{ atS: 2, forS: 4, fault: { kind: "crash-at", target: "consumer", failpoint: "before-dlq-write" } }],
    },
    {
      name: "consumer crash after the DLQ write, before the commit",
      faults: [{ atS: 2, forS: 4, fault: { kind: "crash-at", target: "consumer", failpoint: "after-dlq-write" } }],
    },
  ];
  const rows: string[][] = [];
  for (const s of listStrategies("dlq")) {
    const row = [s];
    for (const f of faults) {
      const crash = f.faults[0]!.fault.kind === "crash-at";
      if ((quick && !references.includes(s)) || (crash && ["drop-on-error", "retry-forever"].includes(s))) {
        row.push("n/a"); // no DLQ write to crash at
        continue;
      }
      const r = await run(s, 0.01, 10, f.faults);
      row.push(
        `${r.judgement.result.toUpperCase()}: lost ${count(r, "lost")}, both ${count(r, "processed-and-dead-lettered")}, premature ${count(r, "premature-dead-letter")}, stuck ${count(r, "stuck-partition")}; healthy dead-lettered ${num(stat(r, "dead-letter-outcomes", "healthyDeadLettered"))}, replayed ${num(r.strategyStats.replayed)} [run](${rel(r)}/summary.md)`,
      );
    }
    rows.push(row);
  }
  out.push(
    "## Strategy × fault (1 % poison, 10 s)",
    "",
    "Each cell: verdict against the claims; messages lost, both applied and dead-lettered, dead-lettered before the budget was spent, partitions stuck; healthy payments that went to the DLQ and the dead letters the reprocessor applied. n/a: no DLQ write to crash at.",
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
