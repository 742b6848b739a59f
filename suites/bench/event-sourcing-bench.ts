/**
 * The event-sourcing benchmark: aggregate load time against stream length (10 → 1,000,000 events) with and
 * without a snapshot, beside fetching the same rows raw; append throughput and conflict rate against writer
 * concurrency and key skew; the cost of writing snapshots.
 * Run: npm run bench:event-sourcing [-- --max 100000]  → reports/<time>-event-sourcing-bench/summary.md and compare.html
 * (the curves as charts, the runs side by side)
 */
import fs from "node:fs";
import path from "node:path";
import { NativeEnvironment } from "../../harness/env/native/native-environment.js";
import { pgConfig } from "../../harness/env/environment.js";
import { runScenario, type RunResult } from "../../harness/run/run-scenario.js";
import { parseScenario } from "../../harness/scenario/load.js";
import { mdTable, ms, num, pct, ratio } from "../../harness/report/format.js";
import { repoRoot } from "../../harness/env/stack-paths.js";
import { resilientPool } from "../../harness/util/pg-pool.js";
import {
  createStore,
  exactSerializer,
  writeSnapshot,
} from "../../implementations/event-sourcing/shared/event-store.js";
import { loadFromSnapshot, loadFull } from "../../implementations/event-sourcing/shared/loader.js";
import { writeComparePage } from "../../harness/report/compare-html.js";
import { type Curve, curveFrom } from "../../harness/report/curve-charts.js";
import { folderStamp } from "../../harness/util/folder-stamp.js";

const maxIdx = process.argv.indexOf("--max");
const maxEvents = maxIdx > 0 ? Number(process.argv[maxIdx + 1]) : 1_000_000;
const stamp = folderStamp();
const benchDir = path.join(repoRoot, "reports", `${stamp}-event-sourcing-bench`);
const runsDir = path.join(benchDir, "runs");
fs.mkdirSync(runsDir, { recursive: true });
const env = await NativeEnvironment.start({ log: (l) => console.error(`[env] ${l}`) });
/** Charts for the comparison page, beside the tables of summary.md. */
const curves: Curve[] = [];
const out: string[] = [
  "# Event-sourcing benchmark",
  "",
  "Native PostgreSQL 15 on this machine (2 cores), direct connection.",
  "",
];
const median = async (f: () => Promise<unknown>, n = 3) => {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await f();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(n / 2)]!;
};

try {
  // 1. Load time against stream length.
  const db = resilientPool({ ...pgConfig(env, "direct"), max: 2 });
  const schema = "es_bench";
  await createStore(db, schema);
  const rows: (string | number)[][] = [];
  const curve: { n: number; full: number; snap: number; raw: number }[] = [];
  for (let n = 10; n <= maxEvents; n *= 10) {
    const id = `acct-${n}`;
    await db.query(
      `insert into ${schema}.events (aggregate_id, version, type, v, data)
      select $1, g, 'Deposited', 2, '{"amount":1,"currency":"EUR"}'::jsonb from generate_series(1, $2) g`,
      [id, n],
    );
    const raw = await median(() =>
      db.query(`select type, v, data from ${schema}.events where aggregate_id = $1 order by version, seq`, [id]),
    );
    const full = await median(() => loadFull(db, schema, id));
    const state = await loadFull(db, schema, id);
    // As if snapshotted every 100 events, the last one 50 events ago.
    const at = Math.max(0, n - 50);
    await writeSnapshot(db, schema, id, { ...state, balance: at, deposits: at, version: at }, exactSerializer);
    const snap = await median(() => loadFromSnapshot(db, schema, id));
    curve.push({ n, full, snap, raw });
    rows.push([num(n), num(raw, 1), num(full, 1), ratio(full, raw), num(snap, 2), ratio(full, snap)]);
    console.error(
      `[bench] ${n} events: raw ${raw.toFixed(1)} ms, full replay ${full.toFixed(1)} ms, snapshot+tail ${snap.toFixed(2)} ms`,
    );
  }
  await db.end();
  out.push(
    "## Load time against stream length (median of 3, ms)",
    "",
    mdTable(
      ["events", "raw fetch of the rows", "full replay", "replay ÷ raw", "snapshot + ≤50-event tail", "speed-up"],
      rows,
    ),
    "",
    "The curve is drawn in [compare.html](compare.html).",
    "",
  );
  const ways = [
    ["raw fetch of the rows", "raw"],
    ["full replay", "full"],
    ["snapshot + ≤50-event tail", "snap"],
  ] as const;
  curves.push(
    curveFrom(
      curve.flatMap((p) => ways.map(([label, k]) => ({ n: p.n, label, msTaken: p[k] }))),
      {
        title: "Aggregate load time against stream length",
        note: "Full replay grows with the stream (a little above fetching its rows raw); a snapshot keeps the load flat.",
        x: { label: "events in the stream (log)", log: true },
        xOf: (p) => p.n,
        seriesOf: (p) => p.label,
        y: { label: "load time, median of 3 (ms, log)", log: true },
        yOf: (p) => p.msTaken,
      },
    ),
  );

  // 2. Append throughput and conflict rate against concurrency and key skew.
  const runs: RunResult[] = [];
  for (const [keyCount, keySkew] of [
    [100, 0],
    [5, 1],
  ] as const)
    for (const concurrency of [1, 4, 16])
      for (const strategy of ["full-replay", "snapshot-every-n"]) {
        const scenario = parseScenario({
          pattern: "event-sourcing",
          strategy,
          seed: 3,
          durationS: 8,
          warmupS: 1,
          baselineS: 2,
          workload: { mode: "closed", concurrency, keyCount, keySkew },
          options: {},
          faults: {},
        });
        console.error(`\n[bench] ${strategy} concurrency ${concurrency}, ${keyCount} accounts, skew ${keySkew}`);
        runs.push(await runScenario(scenario, { env, reportsDir: runsDir, progressEveryMs: 60_000 }));
      }
  out.push(
    "## Appends against writer concurrency and key skew (closed loop, 4 writer processes)",
    "",
    "Commands/s counts accepted and rejected commands; the raw baseline is single-row PostgreSQL commits with the same client count, measured in the same run.",
    "",
    mdTable(
      [
        "strategy",
        "accounts / skew",
        "clients",
        "commands/s",
        "÷ raw PG commit",
        "command p50 ms",
        "p99 ms",
        "conflict rate",
        "gave up",
        "snapshots",
        "snapshot write ms",
        "verdict",
        "run",
      ],
      runs.map((r) => {
        const base = r.baselines[0]?.opsPerS ?? 0;
        const ok = r.measure.ok + r.measure.fail;
        const lat = r.latency.deposit ?? r.latency.withdraw;
        return [
          r.strategy.name,
          `${r.scenario.workload.keyCount} / ${r.scenario.workload.keySkew}`,
          r.scenario.workload.concurrency,
          num(ok / r.scenario.durationS),
          ratio(ok / r.scenario.durationS, base),
          ms(lat?.p50Us),
          ms(lat?.p99Us),
          pct(r.strategyStats.conflictRate),
          num(r.strategyStats.gaveUp),
          num(r.strategyStats.snapshots),
          num(r.strategyStats.meanSnapshotWriteMs, 2),
          r.judgement.result,
          path.relative(benchDir, r.runDir),
        ];
      }),
    ),
    "",
  );
  const byConcurrency = {
    x: { label: "writer clients" },
    xOf: (r: RunResult) => r.scenario.workload.concurrency,
    seriesOf: (r: RunResult) =>
      `${r.strategy.name}, ${r.scenario.workload.keyCount} accounts${r.scenario.workload.keySkew ? ` skew ${r.scenario.workload.keySkew}` : ""}`,
  };
  curves.push(
    curveFrom(runs, {
      ...byConcurrency,
      title: "Commands/s against writer concurrency",
      y: { label: "commands/s" },
      yOf: (r) => (r.measure.ok + r.measure.fail) / r.scenario.durationS,
    }),
    curveFrom(runs, {
      ...byConcurrency,
      title: "Optimistic-concurrency conflicts against writer concurrency",
      note: "Few hot accounts (skewed keys) turn concurrency into conflicts: each one is a reload and a retry.",
      y: { label: "conflict rate (conflicts ÷ append attempts)" },
      yOf: (r) => r.strategyStats.conflictRate,
    }),
  );
} finally {
  await env.teardown();
}
fs.writeFileSync(path.join(benchDir, "summary.md"), out.join("\n"));
console.log(out.join("\n"));
console.log(`\nreport: ${path.join(benchDir, "summary.md")}`);
console.log(`comparison page: ${writeComparePage(benchDir, curves) ?? "no runs"}`);
