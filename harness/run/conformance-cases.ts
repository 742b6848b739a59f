import type { RunRecord } from "../record/run-record.js";
import { parseScenario } from "../scenario/load.js";
import type { Scenario, WorkloadSpec } from "../scenario/scenario.js";
import type { ConformanceCase, Pattern, Strategy } from "./contracts.js";
import { expectation, type Expectation } from "./expectation.js";

/** A case of the pattern's profile, named so a reader sees it was not chosen by the strategy. */
export const profileCaseName = (name: string) => `profile: ${name}`;

/**
 * The cases a strategy is judged by: the pattern's profile, then its own. A reference must survive both; the
 * profile adds to its own cases, never replaces them. A control is wrong on purpose and is judged by its own
 * cases only: they name the fault that provokes its flaw, where a profile case might miss it. The "ci" tier leaves
 * out the cases marked `tier: "full"` (long outages, quiet runs) so CI stays short; `dgh conformance` runs all.
 */
export function conformanceCases(
  pattern: Pattern,
  strategy: Strategy,
  tier: "ci" | "full" = "full",
): ConformanceCase[] {
  const own = strategy.conformance ?? [];
  const sweep = failpointSweep(strategy, pattern.quietWorkload);
  const profile = [...(pattern.profile?.(strategy) ?? []), ...sweep].map((c) => ({
    ...c,
    name: profileCaseName(c.name),
  }));
  const all = (strategy.control ? own : [...profile, ...own]).map((c) => withOwnWorkload(pattern, strategy, c));
  return tier === "full" ? all : all.filter((c) => c.tier !== "full");
}

/**
 * A case at the pattern's workload, then the strategy's, under the case's own (sagas are heavier than single
 * messages; Temporal keeps up with fewer than a database orchestrator). Every suite and the demo go through here.
 */
export function withOwnWorkload(pattern: Pattern, strategy: Strategy, c: ConformanceCase): ConformanceCase {
  const base = { ...pattern.workload, ...strategy.workload };
  return Object.keys(base).length ? { ...c, workload: { ...base, ...c.workload } } : c;
}

/**
 * A crash at every failpoint the strategy declares, at the suite's rate and at a quiet one: each step boundary is
 * tested whether or not the strategy chose to. A crash only counts when the worker reached the point with work in
 * flight (the fault's proof). Where the strategy's own cases already crash there, the busy case is left to them.
 */
export function failpointSweep(
  strategy: Strategy,
  quietWorkload: Partial<WorkloadSpec> = { rateOpsPerS: 10 },
): ConformanceCase[] {
  const workers = strategy.workers?.(strategy.defaults ?? {}) ?? {};
  const ownCrash = (w: string, fp: string) =>
    (strategy.conformance ?? []).some(
      (c) =>
        !c.workload?.rateOpsPerS &&
        c.faults.some((t) => t.fault.kind === "crash-at" && t.fault.target === w && t.fault.failpoint === fp),
    );
  // One worker of each kind (relay, not relay-2): its siblings run the same code.
  const kinds = Object.entries(workers).filter(([w]) => !/-\d+$/.test(w));
  return kinds.flatMap(([w, fps]) =>
    fps.flatMap((fp) => {
      const crash = { atS: 2, forS: 4, fault: { kind: "crash-at", target: w, failpoint: fp } };
      const busy: ConformanceCase = { name: `crash ${w} at ${fp}`, faults: [crash] };
      const quiet: ConformanceCase = {
        name: `crash ${w} at ${fp}, quiet (${quietWorkload.rateOpsPerS} ops/s)`,
        faults: [crash],
        workload: quietWorkload,
        tier: "full",
      };
      return ownCrash(w, fp) ? [quiet] : [busy, quiet];
    }),
  );
}

/**
 * The schedule a run gets when nobody names one (`dgh run` without --fault, the demo): the strategy's first own
 * case, so a control fails out of the box, or for a strategy with no cases of its own its pattern's first profile case.
 */
export function defaultCase(pattern: Pattern, strategy: Strategy): ConformanceCase | undefined {
  const first = strategy.conformance?.[0] ?? pattern.profile?.(strategy)[0];
  return first && withOwnWorkload(pattern, strategy, first);
}

/** The tier of the profiles the suite runs: CI's representative one unless DGH_PROFILE=full. */
export const suiteTier = (): "ci" | "full" => (process.env.DGH_PROFILE === "full" ? "full" : "ci");

/** Who is judged: a built-in strategy by name, or a user's module (`impl`). */
export interface CaseSubject {
  pattern: string;
  strategy: string;
  impl?: string;
  implCmd?: string;
}

/** The scenario of one case: short runs at a moderate rate, the case's own workload, options and faults on top. */
export function caseScenario(s: CaseSubject, c: ConformanceCase, seed = 1234): Scenario {
  return parseScenario({
    pattern: s.pattern,
    strategy: s.strategy,
    impl: s.impl,
    implCmd: s.implCmd,
    seed,
    durationS: c.durationS ?? 8,
    warmupS: 1,
    baselineS: 0,
    quiesceTimeoutS: c.quiesceTimeoutS ?? 45,
    workload: { mode: "open", rateOpsPerS: 150, keyCount: 50, ...c.workload },
    options: c.options ?? {},
    faults: { timeline: c.faults },
  });
}

/** What a case's run must show besides its verdict, so it cannot pass for nothing. */
export interface CaseOutcome {
  expectation: Expectation;
  /** Each reason the case did not pass: work still pending, a fault that did not apply, a figure not reached. */
  problems: string[];
  /** false: the expectation failed; "unknown": the case did not test what it is for; true: it did, and held. */
  met: boolean | "unknown";
}

/** What judging a case reads of a run's record. */
export type CaseEvidence = Pick<RunRecord, "quiesce" | "faults" | "strategyStats" | "judgement">;

export function judgeCase(c: ConformanceCase, strategy: Strategy, r: CaseEvidence): CaseOutcome {
  const problems: string[] = [];
  const e = expectation(r.judgement, strategy.control, c.expectAnomalies);
  // A flaw caught stands whatever is still pending (a loss while work is pending is never caught: judge() makes it
  // undecided); a stuck consumer is itself the flaw, and its work never drains.
  const caught = e.met === true && (strategy.control !== undefined || (c.expectAnomalies?.length ?? 0) > 0);
  if (!r.quiesce.drained && !caught)
    problems.push(`quiesce bound passed with work pending: ${JSON.stringify(r.quiesce.pending)}`);
  if (r.faults.length !== c.faults.length) problems.push(`${r.faults.length} of ${c.faults.length} faults ran`);
  for (const f of r.faults)
    if (f.outcome !== "applied") problems.push(`fault ${f.name} did not apply: ${f.error ?? "no outcome"}`);
  for (const [figure, min] of Object.entries(c.expectFigures ?? {}))
    if ((r.strategyStats[figure] ?? 0) < min)
      problems.push(`${figure} = ${r.strategyStats[figure] ?? 0} < ${min}: the fault did not do what it is for`);
  if (e.met !== true) problems.push(e.says);
  // A broken claim is a failure; anything else amiss means the case could not tell.
  const met = e.met === false ? false : problems.length ? "unknown" : true;
  return { expectation: e, problems, met };
}
