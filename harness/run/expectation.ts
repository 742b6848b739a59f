import type { Judgement } from "../checkers/claims.js";

/** What a run had to show: a reference keeps its claims; a control (or a case outside a claim) must break them. */
export interface Expectation {
  /** true: as it must; false: not; "unknown": the run cannot tell (a fault did not apply, a checker could not decide). */
  met: boolean | "unknown";
  /** One line for people: what was expected and what happened. */
  says: string;
  /** 0 as expected, 1 not, 3 unknown: the CLI's exit code. */
  exitCode: 0 | 1 | 3;
}

/**
 * The one judgement of expected against actual, used by `dgh run`, the reports, junit.xml, the demo and the
 * conformance suite. `mustBreak`: a case's anomalies outside the claim; otherwise a control's.
 */
export function expectation(
  j: Judgement,
  control?: { expectedAnomalies: readonly string[] },
  mustBreak = control?.expectedAnomalies,
): Expectation {
  const unknown = (why: string): Expectation => ({ met: "unknown", says: `UNKNOWN: ${why}`, exitCode: 3 });
  const reasons = j.unknown.map((u) => `${u.checker}: ${u.error ?? "could not decide"}`).join("; ");
  if (mustBreak?.length) {
    const caught = j.violations.filter((v) => mustBreak.includes(v.anomaly)).map((v) => `${v.anomaly} ×${v.count}`);
    if (caught.length)
      return { met: true, says: `failed as it must: the checkers caught ${caught.join(", ")}`, exitCode: 0 };
    if (j.result === "unknown")
      return unknown(`expected ${mustBreak.join(" or ")}, and the run cannot tell (${reasons})`);
    return {
      met: false,
      says: `did NOT fail with ${mustBreak.join(" or ")}: the faults did not provoke the flaw`,
      exitCode: 1,
    };
  }
  if (j.result === "pass") return { met: true, says: "every claim held", exitCode: 0 };
  if (j.result === "fail")
    return {
      met: false,
      says: `claims broke: ${j.violations.map((v) => `${v.anomaly} ×${v.count}`).join(", ")}`,
      exitCode: 1,
    };
  return unknown(reasons);
}
