import { describe, expect, it } from "vitest";
import { judge } from "../checkers/claims.js";
import type { Verdict } from "../checkers/types.js";
import type { FaultRecord } from "../faults/fault-records.js";
import { conformanceCases, judgeCase, type CaseEvidence } from "./conformance-cases.js";
import type { ConformanceCase, Pattern, Strategy } from "./contracts.js";

const leave: ConformanceCase = {
  name: "a consumer leaves mid-batch",
  faults: [{ atS: 3, forS: 3, fault: { kind: "leave", target: "consumer-2" } }],
  expectFigures: { batchesCutShort: 1 },
};
const own: ConformanceCase = { name: "consumer killed after the charge", faults: [] };
const pattern = { name: "p", profile: () => [leave] } as unknown as Pattern;
const reference = { name: "ref", claims: { effects: "exactly-once" }, conformance: [own] } as unknown as Strategy;
const control = { ...reference, control: { expectedAnomalies: ["duplicate-effect"] } } as Strategy;

function evidence(o: {
  lost?: number;
  stuck?: number;
  cutShort?: number;
  faultFailed?: boolean;
  pending?: number;
}): CaseEvidence {
  const verdicts: Verdict[] = [
    {
      checker: "lost",
      valid: !o.lost,
      anomalies: o.lost ? [{ name: "lost", count: o.lost, evidence: [{ id: "p1" }] }] : [],
      stats: {},
    },
    {
      checker: "partition-progress",
      valid: !o.stuck,
      anomalies: o.stuck ? [{ name: "stuck-partition", count: o.stuck, evidence: [{ partition: 1 }] }] : [],
      stats: {},
    },
  ];
  const fault: FaultRecord = {
    id: 0,
    name: "leave consumer-2",
    spec: leave.faults[0]!.fault,
    startUs: 3e6,
    endUs: 6e6,
    opsInside: 600,
    notOkInside: 0,
    ...(o.faultFailed ? { outcome: "failed", error: "did not stop" } : { outcome: "applied", proof: { pid: 1 } }),
  };
  const pending = o.pending ? [{ stage: "consumers (group lag)", count: o.pending }] : [];
  return {
    quiesce: { drained: !o.pending, waitedMs: 0, boundS: 45, pending },
    faults: [fault],
    strategyStats: { batchesCutShort: o.cutShort ?? 2 },
    judgement: judge(reference.claims, verdicts, {
      faultsNotApplied: o.faultFailed ? [{ fault: fault.name, error: "did not stop" }] : [],
      pending,
    }),
  };
}

describe("conformanceCases", () => {
  it("runs the pattern's profile first, then the strategy's own cases, named so a reader sees which is which", () => {
    expect(conformanceCases(pattern, reference).map((c) => c.name)).toEqual([
      "profile: a consumer leaves mid-batch",
      "consumer killed after the charge",
    ]);
  });
  it("judges a control by its own cases only", () => {
    expect(conformanceCases(pattern, control).map((c) => c.name)).toEqual(["consumer killed after the charge"]);
  });
});

describe("conformanceCases' workload", () => {
  it("runs at the pattern's workload, then the strategy's, then the case's own", () => {
    const heavy = { ...pattern, workload: { rateOpsPerS: 50 } } as Pattern;
    const slow = { ...reference, workload: { rateOpsPerS: 10 } } as Strategy;
    const quiet = { ...own, name: "quiet", workload: { rateOpsPerS: 2 } };
    const rates = (p: Pattern, s: Strategy) => conformanceCases(p, s).map((c) => c.workload?.rateOpsPerS);
    expect(rates(heavy, reference)).toEqual([50, 50]);
    expect(rates(heavy, slow)).toEqual([10, 10]);
    expect(rates(heavy, { ...slow, conformance: [quiet] } as Strategy)).toEqual([10, 2]);
    expect(rates(pattern, reference)).toEqual([undefined, undefined]);
  });
});

describe("judgeCase", () => {
  it("passes a case whose fault applied, reached its spot, and whose claims held", () => {
    expect(judgeCase(leave, reference, evidence({}))).toMatchObject({ met: true, problems: [] });
  });
  it("fails a case whose claims broke", () => {
    const o = judgeCase(leave, reference, evidence({ lost: 3 }));
    expect(o.met).toBe(false);
    expect(o.problems.join()).toMatch(/lost ×3/);
  });
  it("cannot tell when the fault never reached the spot it is for", () => {
    const o = judgeCase(leave, reference, evidence({ cutShort: 0 }));
    expect(o.met).toBe("unknown");
    expect(o.problems).toEqual(["batchesCutShort = 0 < 1: the fault did not do what it is for"]);
  });
  it("cannot tell when the fault did not apply", () => {
    const o = judgeCase(leave, reference, evidence({ faultFailed: true }));
    expect(o.met).toBe("unknown");
    expect(o.problems[0]).toBe("fault leave consumer-2 did not apply: did not stop");
  });
  it("cannot tell when work was still pending at the quiesce bound", () => {
    const o = judgeCase(leave, reference, evidence({ pending: 40 }));
    expect(o.met).toBe("unknown");
    expect(o.problems[0]).toMatch(/work pending/);
  });
  it("takes a control's flaw caught with work pending (a stuck consumer's lag never drains)", () => {
    const stuckControl = { ...reference, control: { expectedAnomalies: ["stuck-partition"] } } as Strategy;
    expect(judgeCase(leave, stuckControl, evidence({ stuck: 1, pending: 40 }))).toMatchObject({
      met: true,
      problems: [],
    });
    // A loss while work is pending stays undecided, for a control as for a reference.
    const lossControl = { ...reference, control: { expectedAnomalies: ["lost"] } } as Strategy;
    expect(judgeCase(leave, lossControl, evidence({ lost: 2, pending: 40 })).met).toBe("unknown");
  });
});
