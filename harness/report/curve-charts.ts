import { esc } from "./format.js";

/**
 * A curve a bench computes (latency against the polling interval, records/s against the transaction size, load
 * time against stream length): one x axis, one or more series, drawn as a line chart on the comparison page.
 */
export interface Curve {
  title: string;
  /** What the reader should see in it, in a sentence under the chart. */
  note?: string;
  /** Ascending. */
  x: { label: string; log?: boolean; values: number[] };
  y: { label: string; log?: boolean };
  /** One value per x (null: not measured at that x). */
  series: { label: string; values: (number | null)[] }[];
}

/** The curves as HTML sections, each a chart element the script below draws into. */
export function curveSections(curves: Curve[]): string {
  if (!curves.length) return "";
  return curves
    .map(
      (c, i) =>
        `<h2>${esc(c.title)}</h2><div class="chart curve" id="chart-curve-${i}"></div>${c.note ? `<p class="note">${esc(c.note)}</p>` : ""}`,
    )
    .join("\n");
}

/** The browser side: one uPlot line chart per curve, from the page's embedded `curves`. */
export const curvesJs = `
(() => {
  const curves = JSON.parse(document.getElementById("curve-data").textContent);
  const colors = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#2c7a7b", "#975a16", "#4a5568"];
  const width = Math.min(1060, document.body.clientWidth - 20);
  // uPlot's log scale cannot hold 0: a zero is drawn as a gap.
  const fit = (log, v) => (v === null || (log && v <= 0) ? null : v);
  curves.forEach((c, i) => {
    const el = document.getElementById("chart-curve-" + i);
    el.dataset.points = String(c.series.reduce((n, s) => n + s.values.filter((v) => fit(c.y.log, v) !== null).length, 0));
    new uPlot({
      width, height: 280,
      scales: { x: { time: false, distr: c.x.log ? 3 : 1 }, y: { distr: c.y.log ? 3 : 1 } },
      axes: [{ label: c.x.label, splits: () => c.x.values }, { label: c.y.label, size: 70 }],
      series: [{}, ...c.series.map((s, k) => ({ label: s.label, stroke: colors[k % colors.length], width: 2,
        points: { show: true, size: 6 } }))],
    }, [c.x.values, ...c.series.map((s) => s.values.map((v) => fit(c.y.log, v)))], el);
  });
})();
`;

/**
 * A curve from a bench's measurements: each item gives its x, the series it belongs to and its y (several items at
 * the same x and series: the last one counts).
 */
export function curveFrom<T>(
  items: T[],
  shape: Omit<Curve, "x" | "series"> & {
    x: Omit<Curve["x"], "values">;
    xOf: (item: T) => number;
    seriesOf: (item: T) => string;
    yOf: (item: T) => number | undefined;
  },
): Curve {
  const xs = [...new Set(items.map(shape.xOf))].sort((a, b) => a - b);
  const names = [...new Set(items.map(shape.seriesOf))];
  const series = names.map((label) => {
    const values: (number | null)[] = xs.map(() => null);
    for (const item of items)
      if (shape.seriesOf(item) === label) values[xs.indexOf(shape.xOf(item))] = shape.yOf(item) ?? null;
    return { label, values };
  });
  return { title: shape.title, note: shape.note, x: { ...shape.x, values: xs }, y: shape.y, series };
}
