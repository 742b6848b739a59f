/**
 * What the harness itself costs, so its figures can be trusted: recording one op (tinybench), checkers on a
 * million events, and the throughput ceiling of the driver with a no-op strategy on this machine.
 * Run: npm run bench:harness  → reports/<time>-harness-overhead/summary.md
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Bench } from "tinybench";
import { HistoryRecorder } from "../../harness/history/history-recorder.js";
import { Recorder } from "../../harness/metrics/histogram.js";
import { lost, duplicateDelivery, phantom, perKeyOrder } from "../../harness/checkers/delivery.js";
import { runCheckers } from "../../harness/checkers/run-checkers.js";
import type { HistoryEvent } from "../../harness/history/events.js";
import type { Delivery } from "../../harness/checkers/types.js";
import { Driver } from "../../harness/workload/driver.js";
import { Rng } from "../../harness/workload/rng.js";
import { defaultWorkload } from "../../harness/scenario/scenario.js";
import type { Pattern, PatternRun, RunContext, StrategyRun } from "../../harness/run/contracts.js";
import { mdTable, num } from "../../harness/report/format.js";
import { repoRoot } from "../../harness/env/stack-paths.js";
import { folderStamp } from "../../harness/util/folder-stamp.js";

const dir = path.join(repoRoot, "reports", `${folderStamp()}-harness-overhead`);
fs.mkdirSync(dir, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-bench-"));
const out: string[] = [
  "# Harness overhead",
  "",
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}.`,
  "",
];

// 1. Hot paths, per call.
const history = new HistoryRecorder(path.join(tmp, "h.jsonl"));
const metrics = new Recorder();
let n = 0;
const bench = new Bench({ time: 1500 });
bench
  .add("history: invoke + ok of one op (JSONL, one write per tick)", () => {
    const op = n++;
    history.record({ type: "invoke", op, f: "order", id: `e${op}`, key: "order-1" });
    history.record({ type: "ok", op, f: "order", id: `e${op}` });
  })
  .add("histogram: record one latency", () => {
    metrics.record("order", 1000 + (n++ % 5000));
  })
  .add(
    "rng + key choice for one op",
    (() => {
      const rng = new Rng(1);
      return () => {
        rng.next();
        rng.next();
      };
    })(),
  );
await bench.run();
out.push(
  "## Cost per call (tinybench)",
  "",
  mdTable(
    ["task", "mean ns", "p99 ns", "ops/s"],
    bench.tasks.map((t) => {
      const r = t.result as { latency?: { mean: number; p99?: number }; throughput?: { mean: number } } | undefined;
      return [
        t.name,
        num((r?.latency?.mean ?? 0) * 1e6),
        num((r?.latency?.p99 ?? 0) * 1e6),
        num(r?.throughput?.mean ?? 0),
      ];
    }),
  ),
  "",
);
history.close();

// 2. Checkers on a million events (500k ops → 1M history events, 500k deliveries with 1% duplicates).
const N = 500_000;
const events: HistoryEvent[] = [];
const deliveries: Delivery[] = [];
for (let i = 0; i < N; i++) {
  events.push(
    { type: "invoke", t: 2 * i, op: i, f: "order", id: `e${i}`, key: `k${i % 1000}` },
    { type: "ok", t: 2 * i + 1, op: i, f: "order", id: `e${i}` },
  );
  deliveries.push({ id: `e${i}`, key: `k${i % 1000}`, seq: Math.floor(i / 1000), partition: i % 3, offset: String(i) });
  if (i % 100 === 0) deliveries.push({ id: `e${i}`, key: `k${i % 1000}`, seq: Math.floor(i / 1000) });
}
const committed = deliveries.map((d) => d.id);
const t0 = performance.now();
const verdicts = runCheckers([lost(), phantom, duplicateDelivery, perKeyOrder], events, { committed, deliveries });
const checkMs = performance.now() - t0;
out.push(
  `## Checkers on ${num(events.length)} history events and ${num(deliveries.length)} deliveries`,
  "",
  mdTable(
    ["checker", "ms", "anomalies"],
    verdicts.map((v) => [
      v.checker,
      num(v.stats.checkMs),
      v.anomalies.map((a) => `${a.name} ×${a.count}`).join(", ") || "none",
    ]),
  ),
  "",
  `All four: ${num(checkMs)} ms.`,
  "",
);

// 3. Driver ceiling: a no-op strategy, closed loop, history written to disk as in a real run.
const noop: Pattern = {
  name: "noop",
  description: "",
  nextOp: (i) => ({ f: "noop", id: `n${i}` }),
  setup: async () => noopRun,
  checkers: () => [],
};
const noopRun: PatternRun = { progress: async () => 0, observe: async () => ({}), close: async () => {} };
const strategy: StrategyRun = { invoke: async () => ({ outcome: "ok" }), close: async () => {} };
const rows: (string | number)[][] = [];
for (const concurrency of [1, 8, 64]) {
  const h = new HistoryRecorder(path.join(tmp, `noop-${concurrency}.jsonl`));
  const ctx = {
    history: h,
    metrics: new Recorder(),
    rng: new Rng(1),
    workload: { ...defaultWorkload, mode: "closed", concurrency },
  } as unknown as RunContext;
  const r = await new Driver(ctx, noop, strategy, noopRun, 5000).drive(3, false);
  h.close();
  rows.push([concurrency, num(r.ok / 3)]);
}
out.push(
  "## Driver ceiling with a no-op strategy (closed loop, 3 s, history on disk)",
  "",
  mdTable(["clients", "ops/s"], rows),
  "",
);
fs.writeFileSync(path.join(dir, "summary.md"), out.join("\n"));
fs.rmSync(tmp, { recursive: true, force: true });
console.log(out.join("\n"));
console.log(`\nreport: ${path.join(dir, "summary.md")}`);
