import { listPatterns, listStrategies, loadPattern, loadStrategy } from "../../harness/run/catalog.js";
import type { ConformanceCase, Strategy } from "../../harness/run/contracts.js";
import type { RunRecord } from "../../harness/record/run-record.js";
import { expectation } from "../../harness/run/expectation.js";
import { caseScenario, conformanceCases, withOwnWorkload } from "../../harness/run/conformance-cases.js";
import type { Scenario } from "../../harness/scenario/scenario.js";
import { Rng } from "../../harness/workload/rng.js";

/**
 * The stability check: every reference strategy and every control, run again and again with fault schedules
 * drawn from the seed. A reference draws among the cases inside its claims (a control among all of its cases),
 * and each fault moves up to ±1 s. A false verdict is a reference judged FAIL or a control judged PASS.
 * `from: "own"` (CI, one draw each) draws among a strategy's own cases that have a fault: a case with none has no
 * schedule to move, only another seed, and the conformance suite has run it. `"profile"` (the bench) draws among
 * every own case and the pattern's profile, every tier, so a reference is drawn under the faults every
 * implementation must survive (a PostgreSQL restart lands between two steps at some seeds only), and references
 * with no cases of their own are drawn at all.
 */
export interface Subject {
  pattern: string;
  name: string;
  strategy: Strategy;
  cases: ConformanceCase[];
}

export async function stabilitySubjects(from: "own" | "profile"): Promise<Subject[]> {
  const out: Subject[] = [];
  for (const pattern of listPatterns()) {
    const owner = await loadPattern(pattern);
    for (const name of listStrategies(pattern)) {
      const strategy = await loadStrategy(pattern, name);
      const drawable =
        from === "own"
          ? (strategy.conformance ?? []).filter((c) => c.faults.length).map((c) => withOwnWorkload(owner, strategy, c))
          : conformanceCases(owner, strategy, "full");
      const cases = drawable.filter((c) => strategy.control || !c.expectAnomalies);
      if (cases.length) out.push({ pattern, name, strategy, cases });
    }
  }
  return out;
}

const tenth = (x: number) => Math.round(x * 10) / 10;

/** The k-th run of a subject: its case and fault times drawn from seed k (reproducible, different per k). */
export function stabilityScenario(s: Subject, k: number): { scenario: Scenario; drawn: ConformanceCase } {
  const seed = 7000 + k;
  const rng = new Rng(seed).fork(2);
  const c = s.cases[Math.floor(rng.next() * s.cases.length)]!;
  const durationS = c.durationS ?? 8;
  const timeline = c.faults.map((f) => {
    const latest = Math.max(0.5, durationS - f.forS - 0.5);
    return { ...f, atS: tenth(Math.min(latest, Math.max(0.5, f.atS + (rng.next() * 2 - 1)))) };
  });
  const scenario = caseScenario({ pattern: s.pattern, strategy: s.name }, { ...c, faults: timeline }, seed);
  return { scenario, drawn: c };
}

/** What the run had to show under the drawn case: a case outside a claim names its own anomalies. */
export const expectationOf = (s: Subject, drawn: ConformanceCase, r: RunRecord) =>
  expectation(r.judgement, s.strategy.control, drawn.expectAnomalies ?? s.strategy.control?.expectedAnomalies);
