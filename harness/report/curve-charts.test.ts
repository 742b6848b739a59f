import { describe, expect, it } from "vitest";
import { curveFrom } from "./curve-charts.js";

describe("curveFrom", () => {
  it("puts each measurement at its x in its series, x ascending, null where a series was not measured", () => {
    const runs = [
      { interval: 200, batch: 10, p50: 110 },
      { interval: 10, batch: 10, p50: 9 },
      { interval: 10, batch: 100, p50: 8 },
    ];
    const c = curveFrom(runs, {
      title: "p50 against the interval",
      x: { label: "interval (ms)", log: true },
      xOf: (r) => r.interval,
      seriesOf: (r) => `batch ${r.batch}`,
      y: { label: "p50 (ms)" },
      yOf: (r) => r.p50,
    });
    expect(c.x).toEqual({ label: "interval (ms)", log: true, values: [10, 200] });
    expect(c.series).toEqual([
      { label: "batch 10", values: [9, 110] },
      { label: "batch 100", values: [8, null] },
    ]);
  });
});
