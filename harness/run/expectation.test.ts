import { describe, expect, it } from "vitest";
import { judge } from "../checkers/claims.js";
import type { Verdict } from "../checkers/types.js";
import { expectation } from "./expectation.js";

const lostX = (n: number): Verdict => ({
  checker: "lost-deliveries",
  valid: n === 0,
  anomalies: n ? [{ name: "lost", count: n, evidence: [] }] : [],
  stats: {},
});
const clean = { faultsNotApplied: [], pending: [] };
const faultFailed = { faultsNotApplied: [{ fault: "kill kafka", error: "no such process" }], pending: [] };

describe("judgement and expectation", () => {
  it("a reference that kept its claims passes; one that broke them fails (exit 1)", () => {
    expect(expectation(judge({ delivery: "at-least-once" }, [lostX(0)], clean))).toMatchObject({
      met: true,
      exitCode: 0,
    });
    expect(expectation(judge({ delivery: "at-least-once" }, [lostX(2)], clean))).toMatchObject({
      met: false,
      exitCode: 1,
      says: "claims broke: lost ×2",
    });
  });
  it("a fault that did not apply makes a clean run UNKNOWN (exit 3), never PASS", () => {
    const j = judge({ delivery: "at-least-once" }, [lostX(0)], faultFailed);
    expect(j.result).toBe("unknown");
    expect(expectation(j)).toMatchObject({ met: "unknown", exitCode: 3 });
    expect(expectation(j).says).toMatch(/fault kill kafka did not apply: no such process/);
  });
  it("a claim that broke anyway still fails: false beats unknown", () => {
    expect(judge({ delivery: "at-least-once" }, [lostX(1)], faultFailed).result).toBe("fail");
  });
  it("a loss counted while a stage still held work is undecided, not FAIL", () => {
    const j = judge({ delivery: "at-least-once" }, [lostX(6)], {
      faultsNotApplied: [],
      pending: [{ stage: "sink", count: 339 }],
    });
    expect(j.result).toBe("unknown");
    expect(j.unknown[0]!.error).toMatch(/lost ×6 undecided: the pipeline had not drained \(339 pending in sink\)/);
  });
  it("a control meets its expectation only by failing with an anomaly it names", () => {
    const control = { expectedAnomalies: ["lost"] as const };
    expect(expectation(judge({ delivery: "exactly-once" }, [lostX(3)], clean), control)).toMatchObject({
      met: true,
      exitCode: 0,
    });
    expect(expectation(judge({ delivery: "exactly-once" }, [lostX(0)], clean), control)).toMatchObject({
      met: false,
      exitCode: 1,
    });
    expect(expectation(judge({ delivery: "exactly-once" }, [lostX(0)], faultFailed), control)).toMatchObject({
      met: "unknown",
      exitCode: 3,
    });
  });
  it("a case outside a claim names its own anomalies, over the control's", () => {
    const j = judge({ delivery: "exactly-once" }, [lostX(1)], clean);
    expect(expectation(j, undefined, ["phantom"]).met).toBe(false);
    expect(expectation(j, undefined, ["lost"]).met).toBe(true);
  });
});
