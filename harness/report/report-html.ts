import type { LoadedRun } from "./load-run.js";
import { esc } from "./format.js";

/** A self-contained page: the summary, and ok ops/s per second with the faults drawn as bands. */
export function reportHtml(run: LoadedRun, summaryMd: string): string {
  const { result: r, faults } = run;
  const series = r.measure.series;
  const W = 760, H = 180, pad = 30;
  const maxY = Math.max(1, ...series);
  const x = (s: number) => pad + (s / Math.max(1, series.length)) * (W - 2 * pad);
  const y = (v: number) => H - pad - (v / maxY) * (H - 2 * pad);
  const bands = faults.map((f) => `<rect x="${x(f.startS)}" y="${pad}" width="${Math.max(2, x(f.endS ?? series.length) - x(f.startS))}" height="${H - 2 * pad}" fill="#f4a3a3" opacity="0.5"><title>${esc(f.name)}</title></rect>`).join("");
  const line = series.map((v, i) => `${i ? "L" : "M"}${x(i + 0.5).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const svg = `<svg width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">
  ${bands}<path d="${line}" fill="none" stroke="#2b6cb0" stroke-width="2"/>
  <line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="#999"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${H - pad}" stroke="#999"/>
  <text x="${pad}" y="${pad - 8}">ok ops/s (max ${maxY}); red bands: faults</text><text x="${W - pad}" y="${H - 8}" text-anchor="end">${series.length} s</text></svg>`;
  const color = r.judgement.result === "pass" ? "#2f855a" : r.judgement.result === "fail" ? "#c53030" : "#b7791f";
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(`${r.scenario.pattern}/${r.strategy.name}`)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222}pre{background:#f6f6f6;padding:1em;overflow:auto;white-space:pre-wrap}.v{color:${color};font-weight:bold}</style></head>
<body><p class="v">${esc(r.judgement.result.toUpperCase())}</p>${svg}<pre>${esc(summaryMd)}</pre></body></html>\n`;
}
