/**
 * The Kafka exactly-once benchmark:
 *  1. the cost curve of transactions: how fast the processor drains a backlog at each transaction size, on both
 *     clients, beside at-least-once and a raw consume → produce loop with no commits at all (same run);
 *  2. end-to-end latency of each strategy on each client at a steady 300 requests/s, beside raw baselines;
 *  3. the strategy × fault table on both clients.
 * Run: npm run bench:eos [-- --quick]  → reports/<time>-eos-bench/summary.md
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Kafka, logLevel } from "kafkajs";
import { NativeEnvironment } from "../../harness/env/native/native-environment.js";
import { kafkaBrokers } from "../../harness/env/environment.js";
import { runScenario, type RunResult } from "../../harness/run/run-scenario.js";
import { parseScenario } from "../../harness/scenario/load.js";
import { listStrategies } from "../../harness/run/catalog.js";
import { mdTable, ms, num, ratio } from "../../harness/report/format.js";
import { repoRoot } from "../../harness/env/stack-paths.js";
import { Worker } from "../../harness/workers/worker.js";
import { sumWorkerStats } from "../../harness/workers/worker-stats.js";
import { sleep } from "../../harness/util/wait.js";
import type { TimedFault } from "../../harness/faults/fault-spec.js";
import { clientNames, type ClientName } from "../../implementations/eos/shared/kafka-client.js";
import { writeComparePage } from "../../harness/report/compare-html.js";
import { type Curve, curveFrom } from "../../harness/report/curve-charts.js";
import { folderStamp } from "../../harness/util/folder-stamp.js";

const quick = process.argv.includes("--quick");
const stamp = folderStamp();
const benchDir = path.join(repoRoot, "reports", `${stamp}-eos-bench`);
const runsDir = path.join(benchDir, "runs");
fs.mkdirSync(runsDir, { recursive: true });
const env = await NativeEnvironment.start({ log: (l) => console.error(`[env] ${l}`) });
const processorModule = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../implementations/eos/shared/processor.ts",
);
/** Charts for the comparison page, beside the tables of summary.md. */
const curves: Curve[] = [];
const out: string[] = [
  "# Kafka exactly-once benchmark",
  "",
  "Native stack, 2 cores, single-node KRaft Kafka 4.3.1, 3 partitions, 200-byte requests.",
  "",
];
const rel = (p: string) => path.relative(benchDir, p);
/** The summary is rewritten after each section and table row: a bench that dies keeps what it measured. */
const flush = () => fs.writeFileSync(path.join(benchDir, "summary.md"), out.join("\n"));

/**
 * Drains a backlog of `n` requests with one processor (proxied Kafka link, as in the runs) and reports records/s
 * from the processor's ready signal until the group's committed offsets (or, for raw, the output) reach n.
 */
async function drain(
  client: ClientName,
  mode: "transactions" | "at-least-once" | "raw",
  txRecords: number,
  n: number,
  capS: number,
) {
  const id = `d${Math.random().toString(36).slice(2, 8)}`;
  const kafka = new Kafka({ brokers: kafkaBrokers(env, "direct"), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const input = `${id}.in`,
    output = `${id}.out`,
    groupId = `${id}-processor`;
  await admin.createTopics({
    topics: [input, output].map((topic) => ({ topic, numPartitions: 3 })),
    waitForLeaders: true,
  });
  const producer = kafka.producer();
  await producer.connect();
  const value = (i: number) =>
    JSON.stringify({ paymentId: `p${i}`, customerId: `c${i % 100}`, amount: 1, seq: i, pad: "x".repeat(120) });
  for (let i = 0; i < n; i += 1000)
    await producer.send({
      topic: input,
      acks: -1,
      messages: Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({
        key: `c${(i + j) % 100}`,
        value: value(i + j),
      })),
    });
  await producer.disconnect();
  const dir = path.join(runsDir, `drain-${client}-${mode}-${txRecords}`);
  const w = new Worker(
    {
      name: "processor",
      module: processorModule,
      config: {
        client,
        brokers: kafkaBrokers(env, "proxied"),
        input,
        output,
        groupId,
        mode,
        txRecords,
        transactionTimeoutMs: 60_000,
      },
    },
    dir,
  );
  await w.start();
  const t0 = performance.now();
  const done = async () => {
    if (mode === "raw") return (await admin.fetchTopicOffsets(output)).reduce((s, p) => s + Number(p.high), 0);
    const [t] = await admin.fetchOffsets({ groupId, topics: [input] });
    return t!.partitions.reduce((s, p) => s + Math.max(0, Number(p.offset)), 0);
  };
  let processed = await done();
  while (processed < n && performance.now() - t0 < capS * 1000) {
    await sleep(100);
    processed = await done();
  }
  const seconds = (performance.now() - t0) / 1000;
  await w.stop();
  await admin.deleteTopics({ topics: [input, output] }).catch(() => {});
  await admin.disconnect();
  const s = sumWorkerStats(dir, "processor");
  return {
    perS: processed / seconds,
    processed,
    seconds,
    cpuUsPerRecord: ((s.cpuMs ?? 0) * 1000) / Math.max(1, s.produced ?? processed),
    perTx: s.transactions ? (s.produced ?? 0) / s.transactions : undefined,
    dir,
  };
}

async function run(
  strategy: string,
  client: ClientName,
  durationS: number,
  faults: TimedFault[],
  options: Record<string, unknown> = {},
  baselineS = 0,
): Promise<RunResult> {
  const scenario = parseScenario({
    pattern: "eos",
    strategy,
    seed: 7,
    durationS,
    warmupS: 2,
    baselineS,
    quiesceTimeoutS: 60,
    options: { client, ...options },
    workload: { mode: "open", rateOpsPerS: 300, keyCount: 100 },
    faults: { timeline: faults },
  });
  console.error(`\n[bench] ${strategy} [${client}] ${faults.map((f) => f.fault.kind).join("+") || "no faults"}`);
  return runScenario(scenario, { env, reportsDir: runsDir, progressEveryMs: 60_000 });
}
const count = (r: RunResult, anomaly: string) =>
  [...r.judgement.violations, ...r.judgement.allowed]
    .filter((v) => v.anomaly === anomaly)
    .reduce((s, v) => s + v.count, 0);

try {
  // 1. The cost curve.
  const n = quick ? 5000 : 10_000,
    capS = quick ? 10 : 20;
  const sizes = quick ? [1, 100] : [1, 10, 100, 500];
  const rows: string[][] = [];
  const drained: { client: string; mode: string; size: number; perS: number }[] = [];
  for (const client of clientNames) {
    for (const size of sizes) {
      // The floor: the same loop with sends of the same size and no commit at all.
      const raw = await drain(client, "raw", size, n, capS);
      rows.push([
        client,
        `raw consume → produce (sends of ≤${size}), no commits`,
        "–",
        num(raw.perS),
        "1.00×",
        num(raw.cpuUsPerRecord),
        rel(raw.dir),
      ]);
      const alo = await drain(client, "at-least-once", size, n, capS);
      rows.push([
        client,
        `at-least-once, offsets committed every ≤${size}`,
        "–",
        num(alo.perS),
        ratio(alo.perS, raw.perS),
        num(alo.cpuUsPerRecord),
        rel(alo.dir),
      ]);
      const tx = await drain(client, "transactions", size, n, capS);
      rows.push([
        client,
        `transactions of ≤${size} records`,
        num(tx.perTx, 1),
        num(tx.perS),
        ratio(tx.perS, raw.perS),
        num(tx.cpuUsPerRecord),
        rel(tx.dir),
      ]);
      drained.push(
        { client, mode: "raw, no commits", size, perS: raw.perS },
        { client, mode: "at-least-once", size, perS: alo.perS },
        { client, mode: "transactions", size, perS: tx.perS },
      );
      console.error(
        `[bench] ${client} size ${size}: raw ${num(raw.perS)}/s, at-least-once ${num(alo.perS)}/s, transactions ${num(tx.perS)}/s`,
      );
    }
  }
  curves.push(
    curveFrom(drained, {
      title: "Records/s against the transaction size (backlog drain)",
      note: "A transaction per record costs most of the throughput; the gap to the raw loop closes as transactions grow.",
      x: { label: "records per transaction or offset commit (at most, log)", log: true },
      xOf: (d) => d.size,
      seriesOf: (d) => `${d.mode} [${d.client}]`,
      y: { label: "records/s (log)", log: true },
      yOf: (d) => d.perS,
    }),
  );
  out.push(
    "## The cost of transactions by transaction size (backlog drain)",
    "",
    `One processor drains a backlog of ${num(n)} requests through Toxiproxy (stopped after ${capS} s): records/s from its ready signal until the committed input offsets (raw: the output) reach the backlog. A transaction never spans two fetched batches, so its real size is shown.`,
    "",
    mdTable(
      [
        "client",
        "processor",
        "records per transaction (real)",
        "records/s",
        "÷ raw of the same client",
        "processor CPU µs/record",
        "folder",
      ],
      rows,
    ),
    "",
  );
  flush();

  // 2. Latency at a steady load, beside the raw baselines of the same run.
  const strategies = listStrategies("eos");
  const lat: string[][] = [];
  let baselines: RunResult["baselines"] = [];
  for (const client of clientNames)
    for (const s of strategies) {
      const r = await run(s, client, quick ? 6 : 12, [], {}, baselines.length ? 0 : 3);
      if (r.baselines.length) baselines = r.baselines;
      const e = r.latency["end-to-end"];
      lat.push([
        s,
        client,
        ms(e?.p50Us),
        ms(e?.p99Us),
        ms(e?.maxUs),
        num(r.strategyStats.recordsPerTransaction, 1),
        num(
          ((r.strategyStats["processor.cpuMs"] ?? 0) * 1000) / Math.max(1, r.strategyStats["processor.produced"] ?? 1),
        ),
        r.judgement.result.toUpperCase(),
        `[run](${rel(r.runDir)}/summary.md)`,
      ]);
    }
  out.push(
    "## End-to-end latency at 300 requests/s, no faults",
    "",
    "Request acknowledged by Kafka → approval received by the judged downstream reader.",
    "",
    mdTable(
      [
        "strategy",
        "client",
        "e2e p50 ms",
        "e2e p99 ms",
        "max ms",
        "records per transaction",
        "processor CPU µs/record",
        "verdict",
        "run",
      ],
      lat,
    ),
    "",
    "Raw baselines measured in the first of these runs (kafkajs, through Toxiproxy):",
    "",
    mdTable(
      ["baseline", "ops/s", "p50 ms", "p99 ms", "note"],
      baselines.map((b) => [b.name, num(b.opsPerS), ms(b.latency?.p50Us), ms(b.latency?.p99Us), b.note]),
    ),
    "",
  );
  flush();

  // 3. Strategy × fault on both clients.
  const faults: { name: string; options?: Record<string, unknown>; durationS?: number; faults: TimedFault[] }[] = [
    {
      name: "processor killed mid-transaction",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "processor", failpoint: "after-produce" } }],
    },
    {
      name: "zombie: stopped mid-transaction 9 s",
      options: { processors: 2, transactionTimeoutMs: 5000 },
      durationS: 13,
      faults: [{ atS: 2, forS: 9, fault: { kind: "pause-at", target: "processor", failpoint: "after-produce" } }],
    },
    { name: "Kafka restarted", faults: [{ atS: 3, forS: 0, fault: { kind: "restart", target: "kafka" } }] },
    {
      name: "processor link reset",
      faults: [
        {
          atS: 2,
          forS: 2,
          fault: { kind: "toxic", service: "kafka", toxic: { type: "reset_peer", attributes: { timeout: 0 } } },
        },
      ],
    },
    {
      name: "sink killed after DB commit",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "sink", failpoint: "after-apply" } }],
    },
    { name: "PostgreSQL restarted", faults: [{ atS: 3, forS: 0, fault: { kind: "restart", target: "postgres" } }] },
  ];
  const table: string[][] = [];
  for (const client of quick ? ["kafkajs" as const] : clientNames)
    for (const s of strategies) {
      const row = [`${s} [${client}]`];
      for (const f of faults) {
        const r = await run(s, client, f.durationS ?? 8, f.faults, f.options);
        row.push(
          `${r.judgement.result.toUpperCase()}: ${count(r, "duplicate-delivery")} dup, ${num(r.strategyStats["processor.fenced"])} fenced, ${count(r, "aborted-read")} aborted-read, ${count(r, "duplicate-effect")} double-applied, ${count(r, "lost")} lost [run](${rel(r.runDir)}/summary.md)`,
        );
      }
      table.push(row);
      fs.writeFileSync(
        path.join(benchDir, "fault-table-so-far.md"),
        mdTable(["strategy [client]", ...faults.map((f) => f.name)], table),
      );
    }
  out.push(
    "## Strategy × fault",
    "",
    "Each cell: verdict against the strategy's claims (a control is expected to FAIL), then duplicates on the output topic as the judged reader saw them, refused (fenced) commits of a processor, aborted records it read, payments applied twice by the sink, and lost records (deliveries or effects).",
    "",
    mdTable(["strategy [client]", ...faults.map((f) => f.name)], table),
    "",
  );
} finally {
  await env.teardown();
}
flush();
console.log(out.join("\n"));
console.log(`\nreport: ${path.join(benchDir, "summary.md")}`);
console.log(`comparison page: ${writeComparePage(benchDir, curves) ?? "no runs"}`);
