import fs from "node:fs";
import path from "node:path";
import { decode } from "../metrics/histogram.js";
import { esc, figure, jsonForScript, ms, num, pct } from "./format.js";
import { loadRun } from "./load-run.js";
import { anomaliesOf, duplicateRateOf, faultKindsOf, runLabel, varyingSettings, vsBaselineOf } from "./compare.js";
import { percentileSteps } from "./report-data.js";
import { uplotCss, uplotJs } from "./uplot-assets.js";
import { type Curve, curveSections, curvesJs } from "./curve-charts.js";

/**
 * The comparison page (`dgh compare --html`, the demo's compare.html): runs side by side as a table, their
 * latency percentile curves overlaid on log axes, each run's p50/p99 as bars, and the strategy × faults verdict
 * grid, their cost figures, and the curves a bench computed across its runs. Self-contained like report.html; links
 * point at each run's own report.
 */
export function compareHtml(dirs: string[], outFile: string, benchCurves: Curve[] = []): string {
  const loaded = dirs.map((d) => ({ dir: d, ...loadRun(d) }));
  const settings = varyingSettings(loaded.map((r) => r.result));
  const runs = loaded.map((r, i) => ({ ...r, settings: settings[i]! }));
  const label = (r: (typeof runs)[number]) => runLabel(r.result);
  const faultsOf = (r: (typeof runs)[number]) => faultKindsOf(r.result);
  // The series every run has: end to end where the pattern measures it, else its first op type.
  const latencyOf = (r: (typeof runs)[number]) => {
    const h = r.result.histograms;
    const name = h["end-to-end"] ? "end-to-end" : Object.keys(r.result.latency)[0];
    return { name, summary: name ? r.result.latency[name] : undefined, encoded: name ? h[name] : undefined };
  };
  const curves = runs.map((r) => {
    const l = latencyOf(r);
    const h = l.encoded ? decode(l.encoded) : undefined;
    return {
      label: `${label(r)}${r.settings ? ` ${r.settings}` : ""} · ${faultsOf(r)} (${l.name ?? "–"})`,
      ms: percentileSteps.map((q) => (h ? Math.max(0.001, h.getValueAtPercentile(q) / 1000) : null)),
      p50: (l.summary?.p50Us ?? 0) / 1000,
      p99: (l.summary?.p99Us ?? 0) / 1000,
    };
  });
  const rows = runs.map((r) => {
    const res = r.result;
    const l = latencyOf(r);
    const link = path.relative(path.dirname(path.resolve(outFile)), path.join(r.dir, "report.html"));
    const dup = duplicateRateOf(res);
    const anomalies = anomaliesOf(res);
    return `<tr><td><a href="${esc(link)}">${esc(label(r))}</a></td><td>${esc(r.settings || "–")}</td><td>${esc(faultsOf(r))}</td><td class="${res.judgement.result}">${res.judgement.result.toUpperCase()}</td><td>${esc(anomalies)}</td><td class="num">${num(res.measure.okPerS, 1)}</td><td>${esc(vsBaselineOf(res))}</td><td>${esc(l.name ?? "–")}</td><td class="num">${ms(l.summary?.p50Us)}</td><td class="num">${ms(l.summary?.p99Us)}</td><td class="num">${ms(l.summary?.maxUs)}</td><td class="num">${pct(dup)}</td></tr>`;
  });
  const strategies = [...new Set(runs.map(label))];
  const faultSets = [...new Set(runs.map(faultsOf))];
  const grid = strategies.map((s) => {
    const cells = faultSets.map((f) => {
      const hit = runs.filter((r) => label(r) === s && faultsOf(r) === f);
      if (!hit.length) return "<td></td>";
      const v = hit.map((r) => r.result.judgement.result);
      const worst = v.includes("fail") ? "fail" : v.includes("unknown") ? "unknown" : "pass";
      return `<td class="cell ${worst}">${v.map((x) => x.toUpperCase()).join(" ")}</td>`;
    });
    return `<tr><th>${esc(s)}</th>${cells.join("")}</tr>`;
  });
  // Cost figures: the union of the labels the runs' patterns declare, a run without one shows "–".
  const costLabels = [...new Set(runs.flatMap((r) => Object.keys(r.result.costs ?? {})))];
  const costRows = runs.map(
    (r) =>
      `<tr><td>${esc(label(r))}</td><td>${esc(r.settings || "–")}</td><td>${esc(faultsOf(r))}</td>${costLabels.map((c) => `<td class="num">${figure(r.result.costs?.[c])}</td>`).join("")}</tr>`,
  );
  const costTable = costLabels.length
    ? `<h2>Cost</h2><table id="costs" data-rows="${costRows.length}"><thead><tr><th>strategy</th><th>setting</th><th>faults</th>${costLabels.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead><tbody>${costRows.join("")}</tbody></table>`
    : "";
  const data = { q: percentileSteps, curves };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>dgh comparison: ${runs.length} runs</title>
<style>${uplotCss()}
body{font-family:system-ui,sans-serif;max-width:1100px;margin:1.5em auto;padding:0 1em;color:#1a202c}
h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #e2e8f0}table{border-collapse:collapse;font-size:.85em}
th,td{border:1px solid #e2e8f0;padding:.3em .6em;text-align:left}th{background:#f7fafc}td.num{text-align:right}
.pass{color:#2f855a;font-weight:600}.fail{color:#c53030;font-weight:600}.unknown{color:#b7791f;font-weight:600}
td.cell{color:#fff;text-align:center}td.cell.pass{background:#2f855a}td.cell.fail{background:#c53030}td.cell.unknown{background:#b7791f}
.chart{min-height:300px}.note{color:#4a5568;font-size:.85em}</style></head><body>
<h1>dgh: ${runs.length} runs compared</h1>
<h2>Runs</h2><table id="runs" data-rows="${rows.length}"><thead><tr><th>strategy</th><th>setting</th><th>faults</th><th>verdict</th><th>anomalies</th><th>ok ops/s</th><th>vs raw baseline</th><th>latency of</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th><th>dup rate</th></tr></thead><tbody>${rows.join("")}</tbody></table>
<h2>Latency by percentile</h2><div class="chart" id="chart-percentiles"></div>
<p class="note">Each run's end-to-end latency (or its first operation's, where the pattern has no end to end) at each percentile, log axes.</p>
<h2>p50 and p99</h2><div class="chart" id="chart-bars"></div>
<h2>Verdicts: strategy × faults</h2><table id="verdicts" data-rows="${grid.length}"><thead><tr><th></th>${faultSets.map((f) => `<th>${esc(f)}</th>`).join("")}</tr></thead><tbody>${grid.join("")}</tbody></table>
${costTable}
${curveSections(benchCurves)}
<script type="application/json" id="compare-data">${jsonForScript(data)}</script>
<script type="application/json" id="curve-data">${jsonForScript(benchCurves)}</script>
<script>${uplotJs()}</script>
<script>${compareJs}</script>
<script>${curvesJs}</script>
</body></html>
`;
}

const compareJs = `
(() => {
  const D = JSON.parse(document.getElementById("compare-data").textContent);
  const colors = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#2c7a7b", "#975a16", "#4a5568", "#d53f8c", "#38a169"];
  const width = Math.min(1060, document.body.clientWidth - 20);
  const nines = D.q.map((q) => -Math.log10(1 - q / 100));
  const pe = document.getElementById("chart-percentiles");
  pe.dataset.points = String(D.curves.reduce((n, c) => n + c.ms.filter((v) => v !== null).length, 0));
  new uPlot({
    width, height: 320, scales: { x: { time: false }, y: { distr: 3 } },
    axes: [{ label: "percentile", splits: () => nines,
      values: (u, vals) => vals.map((v) => "p" + +(100 - 100 / Math.pow(10, v)).toPrecision(6)) },
      { label: "latency (ms, log)", size: 70 }],
    series: [{}, ...D.curves.map((c, i) => ({ label: c.label, stroke: colors[i % colors.length], width: 2, points: { show: true, size: 4 } }))],
  }, [nines, ...D.curves.map((c) => c.ms)], pe);
  const be = document.getElementById("chart-bars");
  be.dataset.points = String(D.curves.length * 2);
  const xs = D.curves.map((_, i) => i);
  const bars = uPlot.paths.bars({ size: [0.35, 60], align: 0 });
  new uPlot({
    width, height: 280, scales: { x: { time: false, range: [-0.6, D.curves.length - 0.4] }, y: { distr: 3 } },
    axes: [{ splits: () => xs, values: (u, vals) => vals.map((v) => String(v + 1)), label: "run (in the table's order)" },
      { label: "ms (log)", size: 70 }],
    series: [{}, { label: "p50", fill: "#90cdf4", stroke: "#2b6cb0", paths: bars, points: { show: false } },
      { label: "p99", fill: "#fbd38d", stroke: "#c05621", paths: uPlot.paths.bars({ size: [0.35, 60], align: 1 }), points: { show: false } }],
  }, [xs, D.curves.map((c) => Math.max(c.p50, 0.001)), D.curves.map((c) => Math.max(c.p99, 0.001))], be);
})();
`;

/** The run folders under `dir` (those with a run.json, two levels deep at most), oldest first. */
function runFoldersUnder(dir: string, depth = 2): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => {
      const sub = path.join(dir, d.name);
      return fs.existsSync(path.join(sub, "run.json")) ? [sub] : depth > 1 ? runFoldersUnder(sub, depth - 1) : [];
    })
    .sort();
}

/** Writes the comparison page of `runs` to `file` (a temporary name, then renamed: never half a page). */
export function writeCompareHtml(runs: string[], file: string, curves: Curve[] = []): void {
  fs.writeFileSync(`${file}.tmp`, compareHtml(runs, file, curves));
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * A bench's or a suite's compare.html of every run under its folder, with the curves the bench computed; returns
 * the page's path (none: no runs).
 */
export function writeComparePage(dir: string, curves: Curve[] = []): string | undefined {
  const runs = runFoldersUnder(dir);
  if (!runs.length) return undefined;
  const file = path.join(dir, "compare.html");
  writeCompareHtml(runs, file, curves);
  return file;
}
