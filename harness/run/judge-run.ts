import type { HistoryEvent } from "../history/events.js";
import type { Observation, Verdict } from "../checkers/types.js";
import { runCheckers } from "../checkers/run-checkers.js";
import { progress } from "../checkers/progress.js";
import { judge, type Claims, type Judgement } from "../checkers/claims.js";
import { faultRecords, faultsNotApplied, type FaultRecord } from "../faults/fault-records.js";
import type { QuiesceRecord } from "../record/run-record.js";
import { expectation, type Expectation } from "./expectation.js";
import type { Pattern } from "./contracts.js";

export interface RunJudgement {
  verdicts: Verdict[];
  faults: FaultRecord[];
  judgement: Judgement;
  expectation: Expectation;
}

/**
 * Checks a run from what it recorded: the history, the observation and how quiesce ended. A live run and
 * `dgh check` on a stored one both come here, so they cannot disagree. Every pattern is checked for progress too.
 */
export function judgeRun(
  pattern: Pattern,
  strategy: { claims: Claims; control?: { expectedAnomalies: readonly string[] } },
  history: readonly HistoryEvent[],
  observation: Observation,
  quiesce: QuiesceRecord,
): RunJudgement {
  const verdicts = runCheckers([...pattern.checkers(), progress(pattern.progressFloor)], history, observation);
  const faults = faultRecords(history);
  const judgement = judge(strategy.claims, verdicts, {
    faultsNotApplied: faultsNotApplied(faults),
    pending: quiesce.drained ? [] : quiesce.pending,
  });
  return { verdicts, faults, judgement, expectation: expectation(judgement, strategy.control) };
}
