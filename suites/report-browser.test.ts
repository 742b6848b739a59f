/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { parseScenario } from "../harness/scenario/load.js";
import { runScenario } from "../harness/run/run-scenario.js";
import { readRunRecord } from "../harness/record/run-record.js";
import { compareHtml } from "../harness/report/compare-html.js";
import { curveFrom } from "../harness/report/curve-charts.js";
import { suiteStack } from "./support/suite-stack.js";

/**
 * The HTML reports in a real browser (Debian's Chromium, installed by scripts/install.sh): each opens offline with
 * no console error, every chart has points, a fault is drawn as a band, and the tables have one row per checker,
 * fault, latency series and run. The screenshots land beside the runs (README links copies in docs/images/).
 */
const stack = suiteStack("report-browser");
const chromiumPath = process.env.DGH_CHROMIUM ?? "/usr/bin/chromium";

/** A page in Chromium, with every console error and uncaught exception it raises. */
async function open(browser: Browser, file: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1150, height: 900 } });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`file://${file}`);
  return { page, errors };
}

const run = (faults: unknown[]) =>
  runScenario(
    parseScenario({
      pattern: "outbox",
      strategy: "polling",
      seed: 7,
      durationS: 5,
      warmupS: 1,
      baselineS: 1,
      workload: { mode: "open", rateOpsPerS: 200, keyCount: 50 },
      faults: { timeline: faults },
    }),
    { env: stack.env(), reportsDir: stack.reports, log: () => {} },
  );

describe("the HTML reports in Chromium", () => {
  it("report.html: charts with points and a band per fault, tables with the right rows; compare.html of two runs", async () => {
    const r = await run([
      { atS: 1, forS: 2, fault: { kind: "crash-at", target: "relay", failpoint: "after-publish" } },
    ]);
    const calm = await run([]);
    const record = readRunRecord(r.runDir);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
    try {
      const report = await open(browser, path.join(r.runDir, "report.html"));
      await report.page.waitForSelector("#chart-percentiles canvas");
      const seen = await report.page.evaluate(() => {
        const charts = Array.from(document.querySelectorAll<HTMLElement>(".chart")).map((c) => ({
          id: c.id,
          points: Number(c.dataset.points),
          bands: Number(c.dataset.faultBands),
          xMax: c.dataset.xMax,
          canvas: Boolean(c.querySelector("canvas")),
        }));
        const rows = (id: string) => document.querySelectorAll(`#${id} tbody tr`).length;
        return {
          charts,
          verdict: document.querySelector<HTMLElement>("#verdict")?.dataset.verdict,
          checkers: rows("checkers"),
          faults: rows("faults"),
          latency: rows("latency"),
        };
      });
      expect(report.errors).toEqual([]);
      expect(seen.verdict).toBe(record.judgement.result);
      expect(seen.charts.map((c) => c.id)).toEqual(["chart-latency", "chart-throughput", "chart-percentiles"]);
      for (const c of seen.charts) {
        expect(c.canvas, c.id).toBe(true);
        expect(c.points, c.id).toBeGreaterThan(0);
      }
      expect(seen.charts[0]!.xMax, "one time axis for latency and throughput").toBe(seen.charts[1]!.xMax);
      expect(seen.charts[0]!.bands).toBe(record.faults.length);
      expect(seen.charts[1]!.bands).toBe(record.faults.length);
      expect(seen.checkers).toBe(record.verdicts.length);
      expect(seen.faults).toBe(record.faults.length);
      expect(seen.latency).toBe(Object.keys(record.latency).length);
      // End to end is drawn too: the arrivals are kept beside the run (end-to-end.json).
      expect(JSON.parse(fs.readFileSync(path.join(r.runDir, "end-to-end.json"), "utf8")).atUs.length).toBeGreaterThan(
        0,
      );
      await report.page.screenshot({ path: path.join(r.runDir, "report.png"), fullPage: true });

      const compareFile = path.join(stack.reports, "compare.html");
      // A bench's curve, as the benches pass theirs: the p99 of each run against its number of faults.
      const curve = curveFrom([record, calm], {
        title: "p99 against faults",
        x: { label: "faults" },
        xOf: (x) => x.faults.length,
        seriesOf: () => "polling",
        y: { label: "p99 ms", log: true },
        yOf: (x) => (x.latency["end-to-end"]?.p99Us ?? 0) / 1000,
      });
      fs.writeFileSync(compareFile, compareHtml([r.runDir, calm.runDir], compareFile, [curve]));
      const cmp = await open(browser, compareFile);
      await cmp.page.waitForSelector("#chart-bars canvas");
      const c = await cmp.page.evaluate(() => ({
        points: Array.from(document.querySelectorAll<HTMLElement>(".chart")).map((e) => Number(e.dataset.points)),
        runs: document.querySelectorAll("#runs tbody tr").length,
        grid: document.querySelectorAll("#verdicts tbody td.cell").length,
        costs: document.querySelectorAll("#costs tbody tr").length,
        costColumns: Array.from(document.querySelectorAll("#costs thead th")).map((th) => th.textContent),
      }));
      expect(cmp.errors).toEqual([]);
      expect(c.points.length).toBe(3); // percentiles, p50/p99 bars, the bench curve
      expect(
        c.points.every((n) => n > 0),
        JSON.stringify(c.points),
      ).toBe(true);
      expect(c.runs).toBe(2);
      expect(c.grid).toBe(2); // polling × {crash-at, no fault}
      expect(c.costs).toBe(2);
      expect(c.costColumns).toContain("relay queries/s");
      await cmp.page.screenshot({ path: path.join(stack.reports, "compare.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 240_000);
});
