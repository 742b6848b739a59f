/**
 * The projection benchmark: the read-after-write lag each reference projection gives, steady and under each fault
 * of its profile; the catch-up after the projector was down for N seconds; and, on a stream written straight to
 * Kafka, projection throughput against a raw consume of the same stream and rebuild time against stream length
 * (10k, 100k, 1M events).
 * Run: npm run bench:projection [-- --quick]  → reports/<time>-projection-bench/summary.md and compare.html
 */
import fs from "node:fs";
import path from "node:path";
import { NativeEnvironment } from "../../harness/env/native/native-environment.js";
import { runScenario, type RunResult } from "../../harness/run/run-scenario.js";
import { parseScenario } from "../../harness/scenario/load.js";
import { mdTable, ms, num } from "../../harness/report/format.js";
import { repoRoot } from "../../harness/env/stack-paths.js";
import type { TimedFault } from "../../harness/faults/fault-spec.js";
import { writeComparePage } from "../../harness/report/compare-html.js";
import { type Curve, curveFrom } from "../../harness/report/curve-charts.js";
import { folderStamp } from "../../harness/util/folder-stamp.js";
import { kafkaBrokers, pgConfig } from "../../harness/env/environment.js";
import { rebuildThroughput } from "./projection-rebuild.js";

const quick = process.argv.includes("--quick");
const benchDir = path.join(repoRoot, "reports", `${folderStamp()}-projection-bench`);
const runsDir = path.join(benchDir, "runs");
fs.mkdirSync(runsDir, { recursive: true });
const env = await NativeEnvironment.start({ log: (l) => console.error(`[env] ${l}`) });
const references = ["versioned-upsert", "checkpoint-in-read-db", "rebuild-and-swap"];
const rate = 200;
const curves: Curve[] = [];

async function run(strategy: string, faults: TimedFault[], durationS: number, baselineS = 0) {
  const scenario = parseScenario({
    pattern: "projection",
    strategy,
    seed: 15,
    durationS,
    warmupS: 2,
    baselineS,
    quiesceTimeoutS: 60,
    workload: { mode: "open", rateOpsPerS: rate, keyCount: 100 },
    faults: { timeline: faults },
  });
  console.error(`\n[bench] ${strategy}, ${faults.map((f) => f.fault.kind).join("+") || "no faults"}, ${durationS} s`);
  return runScenario(scenario, { env, reportsDir: runsDir, progressEveryMs: 60_000 });
}
const rel = (r: RunResult) => path.relative(benchDir, r.runDir);
const lag = (r: RunResult) => r.latency["end-to-end"];
const lagCell = (r: RunResult) =>
  `${ms(lag(r)?.p50Us)} / ${ms(lag(r)?.p99Us)} / ${ms(lag(r)?.maxUs)} ms, ${r.judgement.result.toUpperCase()} [run](${rel(r)}/summary.md)`;
const out: string[] = [
  "# Projection benchmark",
  "",
  `Native stack, 2 cores. ${rate} commands/s from 100 customers (60 % place an order, 25 % pay, 15 % cancel), each committed with its event and outbox row in PostgreSQL and published by the outbox pattern's polling relay (10 ms idle poll) to 3 partitions. Read-after-write lag = command acknowledged → the probe (every 20 ms) sees its version in the read model: what a user who reloads sees.`,
  "",
];

try {
  // 1. Read-after-write lag, steady and under each fault of the profile.
  const faults: { name: string; faults: TimedFault[] }[] = [
    { name: "steady (no fault)", faults: [] },
    {
      name: "projector's Kafka link down 3 s",
      faults: [{ atS: 3, forS: 3, fault: { kind: "link-down", service: "kafka" } }],
    },
    {
      name: "PostgreSQL restarted",
      faults: [{ atS: 3, forS: 0, fault: { kind: "restart", target: "postgres" } }],
    },
    {
      name: "read database slow (100 ms) 3 s",
      faults: [
        {
          atS: 3,
          forS: 3,
          fault: { kind: "toxic", service: "postgres", toxic: { type: "latency", attributes: { latency: 100 } } },
        },
      ],
    },
    {
      name: "projector killed after applying a batch",
      faults: [{ atS: 3, forS: 2, fault: { kind: "crash-at", target: "projector", failpoint: "after-apply" } }],
    },
  ];
  const table: RunResult[][] = [];
  for (const s of references) {
    const row: RunResult[] = [];
    for (const f of quick ? faults.slice(0, 2) : faults)
      row.push(await run(s, f.faults, 12, table.length || row.length ? 0 : 3));
    table.push(row);
  }
  out.push(
    "## Read-after-write lag per strategy, steady and under each fault (12 s runs)",
    "",
    "Each cell: lag p50 / p99 / max over the whole run, the verdict, the run. rebuild-and-swap rebuilds from the beginning 5 s after its projector starts, in every run.",
    "",
    mdTable(
      ["strategy", ...faults.slice(0, table[0]!.length).map((f) => f.name)],
      table.map((row, i) => [references[i]!, ...row.map(lagCell)]),
    ),
    "",
    "Raw baselines of the first run:",
    "",
    mdTable(
      ["baseline", "ops/s", "p50 ms", "p99 ms"],
      table[0]![0]!.baselines.map((b) => [b.name, num(b.opsPerS), ms(b.latency?.p50Us), ms(b.latency?.p99Us)]),
    ),
    "",
  );

  // 2. Catch-up: the projector down for N seconds (SIGKILL, restarted after N s).
  const downs = quick ? [2, 5] : [2, 5, 10];
  const catchUp: RunResult[] = [];
  for (const n of downs)
    catchUp.push(
      await run("versioned-upsert", [{ atS: 3, forS: n, fault: { kind: "kill", target: "projector" } }], 3 + n + 12),
    );
  out.push(
    "## Catch-up after the projector was down N seconds (versioned-upsert)",
    "",
    "SIGKILL at 3 s, restarted N s later. It consumes again only once it has rejoined the group, and the broker lets it in when its killed predecessor's session (6 s) has expired: the projector is out for the longer of the two (the fault's window, until the restarted projector is ready). Catch-up: from then until the read-after-write lag is back under 3× the steady state and stays there (the fault table's recovery rule).",
    "",
    mdTable(
      ["down (s)", "not consuming (s)", "backlog (commands)", "lag max ms", "catch-up ms", "verdict", "run"],
      catchUp.map((r, i) => [
        String(downs[i]),
        num((r.faults[0]!.endUs! - r.faults[0]!.startUs) / 1e6, 1),
        num(r.faults[0]!.opsInside),
        ms(lag(r)?.maxUs),
        r.recoveryMs[0] === null || r.recoveryMs[0] === undefined ? "not in the run" : num(r.recoveryMs[0]),
        r.judgement.result.toUpperCase(),
        `[run](${rel(r)}/summary.md)`,
      ]),
    ),
    "",
  );
  curves.push(
    curveFrom(
      catchUp.map((r, i) => ({ down: downs[i]!, r })),
      {
        title: "Catch-up after the projector was down",
        note: "The worst read-after-write lag against how long the projector was down (versioned-upsert, 200 commands/s): never less than the 6 s session its restart waits out.",
        x: { label: "projector down (s)" },
        xOf: (p) => p.down,
        seriesOf: () => "read-after-write lag max (ms)",
        y: { label: "ms" },
        yOf: (p) => (lag(p.r)?.maxUs ?? 0) / 1000,
      },
    ),
  );

  // 3. Throughput and rebuild time, on streams written straight to Kafka.
  const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  const measured = await rebuildThroughput({
    brokers: kafkaBrokers(env, "direct"),
    pg: pgConfig(env, "direct"),
    sizes,
    log: (l) => console.error(`[rebuild] ${l}`),
  });
  out.push(
    "## Projection throughput and rebuild time against stream length",
    "",
    "A stream of N events (100 customers, 3 partitions) produced straight to Kafka, then read from the beginning: by a raw kafkajs consumer that only parses each event (the baseline), and by each projector's apply into an empty read table (the rebuild a rebuild-and-swap does, and a new projection's first run). versioned: rows carry versions (versioned-upsert, rebuild-and-swap); checkpoint: blind rows and the partition's position in the same transaction (checkpoint-in-read-db).",
    "",
    mdTable(
      ["events", "how", "seconds", "events/s", "÷ raw consume", "s per million events"],
      measured.map((m) => {
        const raw = measured.find((x) => x.events === m.events && x.how === "raw consume")!;
        return [
          num(m.events),
          m.how,
          num(m.seconds, 2),
          num(m.events / m.seconds),
          `${num(m.events / m.seconds / (raw.events / raw.seconds), 2)}×`,
          num((m.seconds * 1e6) / m.events, 1),
        ];
      }),
    ),
    "",
  );
  curves.push(
    curveFrom(measured, {
      title: "Rebuild time against stream length",
      note: "Seconds to read a stream from the beginning into an empty read model, beside a raw consume of the same stream.",
      x: { label: "events in the stream (log)", log: true },
      xOf: (m) => m.events,
      seriesOf: (m) => m.how,
      y: { label: "seconds (log)", log: true },
      yOf: (m) => m.seconds,
    }),
    curveFrom(measured, {
      title: "Projection throughput against raw consume",
      note: "Events per second while rebuilding, against a consumer that only parses them.",
      x: { label: "events in the stream (log)", log: true },
      xOf: (m) => m.events,
      seriesOf: (m) => m.how,
      y: { label: "events/s" },
      yOf: (m) => m.events / m.seconds,
    }),
  );
} finally {
  await env.teardown();
}
fs.writeFileSync(path.join(benchDir, "summary.md"), out.join("\n"));
console.log(out.join("\n"));
console.log(`\nreport: ${path.join(benchDir, "summary.md")}`);
console.log(`comparison page: ${writeComparePage(benchDir, curves) ?? "no runs"}`);
