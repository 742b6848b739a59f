/** Small formatting helpers shared by the markdown, HTML and comparison reports. */
export const ms = (us: number | undefined) =>
  us === undefined
    ? "–"
    : us >= 10_000_000
      ? `${(us / 1e6).toFixed(1)} s`
      : `${(us / 1000).toFixed(us < 10_000 ? 2 : 0)}`;
export const num = (x: number | undefined, digits = 0) =>
  x === undefined || Number.isNaN(x)
    ? "–"
    : x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** A figure of any size with the digits that matter: 1,104 and 17.7 and 0.412. */
export const figure = (x: number | undefined) =>
  x === undefined ? "–" : num(x, Number.isInteger(x) ? 0 : Math.abs(x) < 10 ? 3 : 1);
export const pct = (x: number | undefined) => (x === undefined ? "–" : `${(x * 100).toFixed(2)}%`);
export const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : "–");

export function mdTable(head: string[], rows: (string | number)[][]): string {
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

export const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** JSON inside a <script> element: "<" escaped so no "</script>" can end it early. */
export const jsonForScript = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");
