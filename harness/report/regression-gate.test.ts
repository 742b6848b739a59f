import { describe, expect, it } from "vitest";
import type { RunResult } from "../record/run-result.js";
import { parseRegression, regressionGate } from "./regression-gate.js";

const result = (over: Partial<RunResult> = {}, p99Ratio = 3): RunResult => ({
  schema: "dgh-run-result",
  schemaVersion: 1,
  pattern: "outbox",
  strategy: "polling",
  control: false,
  scenarioHash: "abc",
  seed: 1,
  verdict: "pass",
  asExpected: true,
  anomalies: {},
  throughput: { okPerS: 300, ok: 3000, fail: 0, unknown: 0 },
  latency: {},
  baselines: [],
  ratios: { "end-to-end p99 / raw Kafka produce p99": { value: p99Ratio, worse: "higher" } },
  figures: {},
  run: "r",
  ...over,
});

describe("regression gate", () => {
  it("passes a run against itself", () => {
    expect(regressionGate([result()], [result()], 0.1)).toEqual({ passed: true, lines: [] });
  });
  it("fails a changed verdict, naming it", () => {
    const g = regressionGate([result()], [result({ verdict: "fail" })], 0.1);
    expect(g.passed).toBe(false);
    expect(g.lines[0]).toMatch(/REGRESSION outbox\/polling .*verdict PASS → FAIL/);
  });
  it("fails a p99 ratio twice as bad, naming the figure; a better one passes", () => {
    const g = regressionGate([result()], [result({}, 6)], 0.1);
    expect(g.passed).toBe(false);
    expect(g.lines[0]).toMatch(/REGRESSION .*end-to-end p99 \/ raw Kafka produce p99 3\.00 → 6\.00 \(\+100\.0%/);
    expect(regressionGate([result()], [result({}, 1.5)], 0.1)).toMatchObject({ passed: true });
    expect(regressionGate([result()], [result({}, 3.2)], 0.1).passed).toBe(true); // +6.7 % is inside 10 %
  });
  it("compares only the same scenario, and says what is new or missing", () => {
    const g = regressionGate([result()], [result({ scenarioHash: "other", verdict: "fail" })], 0.1);
    expect(g.passed).toBe(true);
    expect(g.lines).toEqual([
      expect.stringMatching(/scenario other\): new, no baseline/),
      expect.stringMatching(/scenario abc\): in the baseline, not run now/),
    ]);
  });
  it("reads thresholds as percentages", () => {
    expect(parseRegression("10%")).toBeCloseTo(0.1);
    expect(parseRegression("10")).toBeCloseTo(0.1);
    expect(parseRegression("0.25")).toBeCloseTo(0.25);
    expect(() => parseRegression("ten")).toThrow(/percentage/);
  });
});
