import type { LoadedRun } from "./load-run.js";
import { esc } from "./format.js";
import { decode } from "../metrics/histogram.js";

const quantiles = [0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100];
const palette = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280"];

/** HdrHistogram-style percentile plot: x = percentile on a "number of nines" scale, y = latency (ms, log). */
function percentileChart(histograms: Record<string, string>): string {
  const names = Object.keys(histograms).filter((n) => !n.includes("("));
  if (!names.length) return "";
  const W = 760,
    H = 240,
    pad = 40;
  const nines = (q: number) => (q >= 100 ? 4.3 : -Math.log10(1 - q / 100));
  const series = names.map((n) => {
    const h = decode(histograms[n]!);
    return quantiles.map((q) => [q, Math.max(0.001, h.getValueAtPercentile(q) / 1000)] as const);
  });
  const maxMs = Math.max(...series.flat().map(([, v]) => v)),
    minMs = Math.min(...series.flat().map(([, v]) => v));
  const lo = Math.log10(minMs),
    hi = Math.log10(maxMs) + 0.1;
  const x = (q: number) => pad + (nines(q) / 4.3) * (W - 2 * pad);
  const y = (v: number) => H - pad - ((Math.log10(v) - lo) / Math.max(0.1, hi - lo)) * (H - 2 * pad);
  const lines = series
    .map(
      (pts, i) =>
        `<path d="${pts.map(([q, v], j) => `${j ? "L" : "M"}${x(q).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}" fill="none" stroke="${palette[i % palette.length]}" stroke-width="2"/><text x="${W - pad}" y="${pad + 14 * i}" text-anchor="end" fill="${palette[i % palette.length]}">${esc(names[i]!)}</text>`,
    )
    .join("");
  const ticks = [50, 90, 99, 99.9, 99.99]
    .map((q) => `<text x="${x(q)}" y="${H - pad + 14}" text-anchor="middle">p${q}</text>`)
    .join("");
  const yt = [minMs, Math.sqrt(minMs * maxMs), maxMs]
    .map((v) => `<text x="${pad - 4}" y="${y(v)}" text-anchor="end">${v < 10 ? v.toFixed(2) : Math.round(v)}</text>`)
    .join("");
  return `<svg width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">${lines}${ticks}${yt}
  <line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="#999"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${H - pad}" stroke="#999"/>
  <text x="${pad}" y="${pad - 8}">latency by percentile (ms, log scale)</text></svg>`;
}

/** A self-contained page: the summary, and ok ops/s per second with the faults drawn as bands. */
export function reportHtml(run: LoadedRun, summaryMd: string): string {
  const { result: r, faults } = run;
  const series = r.measure.series;
  const W = 760,
    H = 180,
    pad = 30;
  const maxY = Math.max(1, ...series);
  const x = (s: number) => pad + (s / Math.max(1, series.length)) * (W - 2 * pad);
  const y = (v: number) => H - pad - (v / maxY) * (H - 2 * pad);
  const bands = faults
    .map(
      (f) =>
        `<rect x="${x(f.startS)}" y="${pad}" width="${Math.max(2, x(f.endS ?? series.length) - x(f.startS))}" height="${H - 2 * pad}" fill="#f4a3a3" opacity="0.5"><title>${esc(f.name)}</title></rect>`,
    )
    .join("");
  const line = series.map((v, i) => `${i ? "L" : "M"}${x(i + 0.5).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const svg = `<svg width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">
  ${bands}<path d="${line}" fill="none" stroke="#2b6cb0" stroke-width="2"/>
  <line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="#999"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${H - pad}" stroke="#999"/>
  <text x="${pad}" y="${pad - 8}">ok ops/s (max ${maxY}); red bands: faults</text><text x="${W - pad}" y="${H - 8}" text-anchor="end">${series.length} s</text></svg>`;
  const percentileSvg = percentileChart(r.histograms);
  const color = r.judgement.result === "pass" ? "#2f855a" : r.judgement.result === "fail" ? "#c53030" : "#b7791f";
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(`${r.scenario.pattern}/${r.strategy.name}`)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222}pre{background:#f6f6f6;padding:1em;overflow:auto;white-space:pre-wrap}.v{color:${color};font-weight:bold}</style></head>
<body><p class="v">${esc(r.judgement.result.toUpperCase())}</p>${svg}${percentileSvg}<pre>${esc(summaryMd)}</pre></body></html>\n`;
}
