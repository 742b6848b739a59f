import type { HistoryEvent } from "../history/events.js";
import { describeClaims } from "../checkers/claims.js";
import type { EndToEndColumns } from "../record/run-record.js";
import { esc, figure, jsonForScript, num } from "./format.js";
import type { LoadedRun } from "./load-run.js";
import { historyLinesById, reportData, type ReportData } from "./report-data.js";
import { uplotCss, uplotJs } from "./uplot-assets.js";

/**
 * report.html: one self-contained page per run that opens offline. Charts are uPlot (inlined, 51 KB): small,
 * fast with tens of thousands of points, log axes, and no dependencies; a hand-drawn SVG had no readable scales.
 * Every chart and table carries data attributes (points, bands, rows) that suites/report-browser.test.ts reads
 * in a real Chromium.
 */

/** One item of evidence as anomalies.jsonl holds it. */
export interface EvidenceItem {
  checker: string;
  anomaly: string;
  evidence: unknown;
}

const perAnomaly = 50;

export function reportHtml(
  run: LoadedRun,
  summaryMd: string,
  history: readonly HistoryEvent[],
  e2e: EndToEndColumns,
  evidence: readonly EvidenceItem[],
): string {
  const r = run.result;
  const data = reportData(run, history, e2e);
  const title = `${r.scenario.pattern}/${r.strategy.name}`;
  const verdict = r.judgement.result;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}: ${verdict.toUpperCase()}</title>
<style>${uplotCss()}${pageCss}</style></head><body>
${banner(run)}
<section><h2>Latency over time</h2><div class="chart" id="chart-latency"></div>
<p class="note">Every measured operation that completed ok, at its completion (from its intended start: no coordinated omission), and each first arrival downstream (end to end, from the acknowledgement). Shaded: faults in force.</p></section>
<section><h2>Throughput</h2><div class="chart" id="chart-throughput"></div>
<p class="note">Completions per second: ok, failed (definitely did not happen), unknown (timed out or could not tell); drawn past the end of the measurement while operations still complete.</p></section>
<section><h2>Latency by percentile</h2><div class="chart" id="chart-percentiles"></div>
<p class="note">HdrHistogram percentile distribution on log axes, beside the raw baselines measured in the same run.</p></section>
${checkerTable(run)}
${anomalyTables(evidence, historyLinesById(history))}
${faultTable(run)}
${figureTables(run)}
<details><summary>summary.md</summary><pre>${esc(summaryMd)}</pre></details>
<script type="application/json" id="report-data">${jsonForScript(compact(data))}</script>
<script>${uplotJs()}</script>
<script>${chartsJs}</script>
</body></html>
`;
}

const pageCss = `
body{font-family:system-ui,sans-serif;max-width:1100px;margin:1.5em auto;padding:0 1em;color:#1a202c}
h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #e2e8f0;padding-bottom:.2em}
.banner{padding:1em 1.2em;border-radius:6px;color:#fff}.banner h1{margin:0 0 .3em;font-size:1.4em}
.banner.pass{background:#2f855a}.banner.fail{background:#c53030}.banner.unknown{background:#b7791f}
.banner code{background:rgba(0,0,0,.2);padding:.1em .4em;border-radius:3px;color:#fff}
.banner ul{margin:.4em 0}.note{color:#4a5568;font-size:.85em}
table{border-collapse:collapse;margin:.5em 0;font-size:.85em}th,td{border:1px solid #e2e8f0;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f7fafc}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.bad{color:#c53030;font-weight:600}pre{background:#f7fafc;padding:1em;overflow:auto;white-space:pre-wrap;font-size:.8em}
.chart{min-height:300px}code{font-size:.9em}`;

function banner(run: LoadedRun): string {
  const r = run.result;
  const broke = [
    ...r.judgement.violations.map(
      (v) => `<li>violates its claim: <b>${esc(v.anomaly)}</b> ×${num(v.count)} (${esc(v.checker)})</li>`,
    ),
    ...r.judgement.faultsNotApplied.map((f) => `<li>fault did not apply: ${esc(f.fault)}: ${esc(f.error)}</li>`),
    ...r.judgement.unknown.map(
      (u) => `<li>could not tell: ${esc(u.checker)}${u.error ? `: ${esc(u.error)}` : ""}</li>`,
    ),
  ];
  return `<header class="banner ${r.judgement.result}" id="verdict" data-verdict="${r.judgement.result}">
<h1>${r.judgement.result.toUpperCase()}: ${esc(`${r.scenario.pattern}/${r.strategy.name}`)}${r.strategy.control ? " (control)" : ""}</h1>
<div>claims: ${esc(describeClaims(r.strategy.claims))}. ${esc(r.expectation.says)}</div>
${broke.length ? `<ul>${broke.join("")}</ul>` : ""}
<div>seed ${r.scenario.seed}, ${num(r.scenario.durationS)} s measured, ${num(r.measure.ok)} ok / ${num(r.measure.fail)} failed / ${num(r.measure.info)} unknown; reproduce: <code>${esc(r.reproduce)}</code></div>
</header>`;
}

function table(id: string, head: string[], rows: string[][], attrs = ""): string {
  return `<table id="${id}" data-rows="${rows.length}"${attrs}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((cells) => `<tr>${cells.join("")}</tr>`)
    .join("")}</tbody></table>`;
}
/** Counts as whole numbers, rates and ratios with what precision they need. */
const td = (v: string, cls = "") => `<td${cls ? ` class="${cls}"` : ""}>${v}</td>`;

function checkerTable(run: LoadedRun): string {
  const broken = new Set(run.result.judgement.violations.map((v) => `${v.checker} ${v.anomaly}`));
  const rows = run.result.verdicts.map((v) => {
    const breaks = v.anomalies.some((a) => broken.has(`${v.checker} ${a.name}`));
    const result = v.anomalies.length
      ? v.anomalies
          .map(
            (a) =>
              `${esc(a.name)} ×${num(a.count)}${broken.has(`${v.checker} ${a.name}`) ? "" : " (allowed by its claims)"}`,
          )
          .join(", ")
      : v.valid === "unknown"
        ? `could not tell${v.error ? `: ${esc(v.error)}` : ""}`
        : "ok";
    const stats = Object.entries(v.stats ?? {})
      .map(([k, x]) => `${esc(k)}=${figure(x)}`)
      .join(" ");
    return [td(esc(v.checker)), td(result, breaks ? "bad" : ""), td(stats)];
  });
  return `<section><h2>Checkers</h2>${table("checkers", ["checker", "result", "stats"], rows)}</section>`;
}

function anomalyTables(evidence: readonly EvidenceItem[], lines: Map<string, number[]>): string {
  const byAnomaly = new Map<string, EvidenceItem[]>();
  for (const e of evidence) byAnomaly.set(e.anomaly, [...(byAnomaly.get(e.anomaly) ?? []), e]);
  if (!byAnomaly.size) return `<section><h2>Anomalies</h2><p>None.</p></section>`;
  const parts = [...byAnomaly].map(([anomaly, items]) => {
    const rows = items.slice(0, perAnomaly).map((e) => {
      const id = (e.evidence as { id?: unknown })?.id;
      const at = typeof id === "string" ? (lines.get(id) ?? []) : [];
      return [
        td(esc(e.checker)),
        td(`<code>${esc(JSON.stringify(e.evidence))}</code>`),
        td(at.length ? at.map((n) => `history.jsonl:${n}`).join(", ") : "–"),
      ];
    });
    const more =
      items.length > perAnomaly ? `<p class="note">${num(items.length - perAnomaly)} more in anomalies.jsonl.</p>` : "";
    return `<h3>${esc(anomaly)} (${num(items.length)})</h3>${table(`anomaly-${anomaly}`, ["checker", "evidence", "history lines"], rows, ` data-anomaly="${esc(anomaly)}"`)}${more}`;
  });
  return `<section><h2>Anomalies</h2>${parts.join("")}</section>`;
}

function faultTable(run: LoadedRun): string {
  const r = run.result;
  const rows = run.faults.map((f, i) => {
    const proof =
      f.outcome === "applied"
        ? Object.entries(f.proof ?? {})
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(" ")
        : (f.error ?? "the run ended while it was in force");
    const recovery = r.recoveryMs[i];
    return [
      td(esc(f.name)),
      td(num(f.startS, 2), "num"),
      td(f.endS === undefined ? "–" : num(f.endS, 2), "num"),
      td(esc(f.outcome ?? "no outcome"), f.outcome === "applied" ? "" : "bad"),
      td(esc(proof)),
      td(recovery == null ? "not in the run" : `${num(recovery)} ms`, "num"),
    ];
  });
  return `<section><h2>Faults</h2>${rows.length ? table("faults", ["fault", "start (s)", "end (s)", "outcome", "proof or error", "recovery"], rows) : '<p id="faults" data-rows="0">No faults in this run.</p>'}</section>`;
}

function figureTables(run: LoadedRun): string {
  const r = run.result;
  const lat = table(
    "latency",
    ["", "count", "p50 ms", "p99 ms", "p99.9 ms", "max ms"],
    Object.entries(r.latency).map(([k, l]) => [
      td(esc(k)),
      td(num(l.count), "num"),
      td(num(l.p50Us / 1000, 2), "num"),
      td(num(l.p99Us / 1000, 2), "num"),
      td(num(l.p999Us / 1000, 2), "num"),
      td(num(l.maxUs / 1000, 2), "num"),
    ]),
  );
  const baselines = !r.baselines.length
    ? '<p id="baselines" data-rows="0" class="note">No raw baselines were measured in this run (baselineS: 0).</p>'
    : table(
        "baselines",
        ["raw baseline (same run)", "ops/s", "p50 ms", "p99 ms"],
        r.baselines.map((b) => [
          td(esc(b.name)),
          td(num(b.opsPerS, 1), "num"),
          td(b.latency ? num(b.latency.p50Us / 1000, 2) : "–", "num"),
          td(b.latency ? num(b.latency.p99Us / 1000, 2) : "–", "num"),
        ]),
      );
  const figures = table(
    "figures",
    ["strategy figure", "value"],
    Object.entries(r.strategyStats).map(([k, v]) => [td(esc(k)), td(figure(v), "num")]),
  );
  const env = `<p class="note">environment: ${esc(r.environment.provider)}${r.environment.kafkaVersion ? `, Kafka ${esc(r.environment.kafkaVersion)}` : ""}; started ${esc(r.startedAt)}, wall ${num(r.wallMs / 1000, 1)} s; quiesce ${r.quiesce.drained ? "drained" : "NOT drained"} in ${num(r.quiesce.waitedMs)} ms.</p>`;
  return `<section><h2>Latency, baselines and figures</h2>${lat}${baselines}${figures}${env}</section>`;
}

/** Times to the ms and latencies to the µs: the page stays small without changing what is drawn. */
function compact(d: ReportData): ReportData {
  const round = (xs: number[], digits: number) => xs.map((x) => Number(x.toFixed(digits)));
  const pts = (p: { t: number[]; ms: number[] }) => ({ t: round(p.t, 3), ms: round(p.ms, 3) });
  return {
    ...d,
    ops: Object.fromEntries(Object.entries(d.ops).map(([k, p]) => [k, pts(p)])),
    endToEnd: pts(d.endToEnd),
  };
}

/** The browser side: three uPlot charts from the embedded data, faults drawn as labelled bands. */
const chartsJs = `
(() => {
  const D = JSON.parse(document.getElementById("report-data").textContent);
  const colors = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#2c7a7b", "#975a16"];
  const width = () => Math.min(1060, document.body.clientWidth - 20);
  const bands = (u) => {
    const ctx = u.ctx;
    ctx.save();
    D.faults.forEach((f, i) => {
      const x0 = u.valToPos(f.startS, "x", true), x1 = u.valToPos(Math.max(f.endS, f.startS + 0.05), "x", true);
      ctx.fillStyle = f.outcome === "applied" ? "rgba(229,62,62,0.13)" : "rgba(183,121,31,0.18)";
      ctx.fillRect(x0, u.bbox.top, Math.max(2, x1 - x0), u.bbox.height);
      ctx.fillStyle = "#9b2c2c";
      ctx.font = (11 * devicePixelRatio) + "px sans-serif";
      // uPlot leaves the y axis's right alignment on the context: labels would end at the band, not start there.
      ctx.textAlign = "left";
      ctx.textBaseline = "alphabetic";
      // Faults that overlap would write over each other's names: each one a line lower, three lines deep.
      ctx.fillText(f.name, x0 + 3, u.bbox.top + (12 + 13 * (i % 3)) * devicePixelRatio);
    });
    ctx.restore();
  };
  const faultPlugin = { hooks: { drawAxes: [bands] } };
  // Both time charts share one x range and one cursor, so a stall in one lines up with the dip in the other.
  const lastT = (p) => (p.t.length ? p.t[p.t.length - 1] : 0);
  const xMax = Math.max(D.durationS, D.throughput.t.length, lastT(D.endToEnd), ...Object.values(D.ops).map(lastT));
  const timeCursor = { sync: { key: "time" } };
  const mark = (el, points) => {
    el.dataset.points = String(points);
    el.dataset.faultBands = String(D.faults.length);
    el.dataset.xMax = String(xMax);
  };

  // Latency over time: every series on one sorted x axis (uPlot's aligned data), nulls where a series has no point.
  {
    const el = document.getElementById("chart-latency");
    const named = Object.entries(D.ops).map(([k, p]) => [k + " (op)", p]);
    if (D.endToEnd.t.length) named.push(["end to end", D.endToEnd]);
    const all = [];
    named.forEach(([, p], s) => p.t.forEach((t, i) => all.push([t, s, p.ms[i]])));
    all.sort((a, b) => a[0] - b[0]);
    const xs = all.map((a) => a[0]);
    const ys = named.map((_, s) => all.map((a) => (a[1] === s ? Math.max(a[2], 0.001) : null)));
    mark(el, all.length);
    new uPlot({
      width: width(), height: 320, plugins: [faultPlugin], cursor: timeCursor,
      scales: { x: { time: false, range: [0, xMax] }, y: { distr: 3 } },
      axes: [{ label: "seconds into the measurement" }, { label: "latency (ms, log)", size: 70 }],
      series: [{}, ...named.map(([name], i) => ({
        label: name, stroke: colors[i % colors.length], paths: () => null,
        points: { show: true, size: 3, fill: colors[i % colors.length] },
      }))],
    }, [xs, ...ys], el);
  }

  // Throughput: completions per second.
  {
    const el = document.getElementById("chart-throughput");
    const T = D.throughput;
    mark(el, T.t.length);
    new uPlot({
      width: width(), height: 240, plugins: [faultPlugin], cursor: timeCursor,
      scales: { x: { time: false, range: [0, xMax] } },
      axes: [{ label: "seconds into the measurement" }, { label: "completions / s", size: 60 }],
      series: [{}, { label: "ok", stroke: "#2f855a", width: 2 }, { label: "failed", stroke: "#c53030", width: 2 },
        { label: "unknown", stroke: "#b7791f", width: 2 }],
    }, [T.t.map((t) => t + 0.5), T.ok, T.fail, T.unknown], el);
  }

  // Latency by percentile, x as "number of nines".
  {
    const el = document.getElementById("chart-percentiles");
    const P = D.percentiles;
    const nines = P.q.map((q) => -Math.log10(1 - q / 100));
    const names = Object.keys(P.series);
    mark(el, names.length * nines.length);
    el.dataset.faultBands = "0";
    new uPlot({
      width: width(), height: 280,
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [
        { label: "percentile", values: (u, vals) => vals.map((v) => "p" + +(100 - 100 / Math.pow(10, v)).toPrecision(6)) , splits: () => nines },
        { label: "latency (ms, log)", size: 70 },
      ],
      series: [{}, ...names.map((n, i) => ({ label: n, stroke: colors[i % colors.length], width: 2,
        points: { show: true, size: 4 } }))],
    }, [nines, ...names.map((n) => P.series[n])], el);
  }
})();
`;
