import type { LoadedRun } from "./load-run.js";
import { esc } from "./format.js";

/** One testcase per checker (a control's case passes when it fails as expected), for CI dashboards. */
export function junitXml({ result: r }: LoadedRun): string {
  const suite = `${r.scenario.pattern}/${r.strategy.name}`;
  const cases: string[] = [];
  let failures = 0;
  for (const v of r.verdicts) {
    const violations = r.judgement.violations.filter((x) => x.checker === v.checker);
    let body = "";
    if (r.strategy.control) {
      // For a control the claim is expected to break; the suite-level case below says whether it did.
    } else if (violations.length) {
      failures++;
      const evidence = v.anomalies
        .map((a) => `${a.name} x${a.count}: ${JSON.stringify(a.evidence.slice(0, 3))}`)
        .join("\n");
      body = `<failure message="${esc(violations.map((x) => `${x.anomaly} x${x.count}`).join(", "))}">${esc(evidence)}</failure>`;
    } else if (v.valid === "unknown") {
      failures++;
      body = `<failure message="unknown: ${esc(v.error ?? "")}"/>`;
    }
    cases.push(
      `    <testcase classname="${esc(suite)}" name="${esc(v.checker)}" time="${((v.stats.checkMs ?? 0) / 1000).toFixed(3)}">${body}</testcase>`,
    );
  }
  if (r.strategy.control) {
    const e = r.expectation;
    if (e.met !== true) failures++;
    cases.push(
      `    <testcase classname="${esc(suite)}" name="control fails with ${esc(r.strategy.control.expectedAnomalies.join(" or "))}">${e.met === true ? "" : `<failure message="${esc(e.says)}: seed ${r.scenario.seed}"/>`}</testcase>`,
    );
  }
  for (const f of r.judgement.faultsNotApplied) {
    failures++;
    cases.push(
      `    <testcase classname="${esc(suite)}" name="fault applied: ${esc(f.fault)}"><failure message="${esc(`did not apply: ${f.error}`)}"/></testcase>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="${esc(suite)}" tests="${cases.length}" failures="${failures}" timestamp="${r.startedAt}">\n${cases.join("\n")}\n  </testsuite>\n</testsuites>\n`;
}
