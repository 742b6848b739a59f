import { describe, expect, it } from "vitest";
import fs from "node:fs";
import { listPatterns, listStrategies, loadPattern, loadStrategy } from "../harness/run/catalog.js";
import { caseScenario, conformanceCases, judgeCase, suiteTier } from "../harness/run/conformance-cases.js";
import { suiteStack } from "./support/suite-stack.js";
import { exampleServices } from "./support/example-services.js";
import { runScenario } from "../harness/run/run-scenario.js";
import type { Pattern, Strategy } from "../harness/run/contracts.js";

/**
 * The conformance suite: every strategy of every pattern, under its pattern's profile and each case it declares
 * (harness/run/conformance-cases.ts), on the real stack.
 * A reference strategy must keep its claims; a control must break them with an anomaly it names. Expectations
 * come from the strategies (claims, control, conformance cases), never from a table here.
 * The black-box examples in examples/ (a Go relay, a Python consumer) are judged the same way.
 * A user's strategy: DGH_IMPL=path/to/strategy.ts DGH_PATTERN=outbox npx vitest run suites/conformance.test.ts
 */
const stack = suiteStack("conformance");

const subjects: { pattern: string; name: string; impl?: string; strategy: Strategy; owner: Pattern }[] = [];
for (const pattern of listPatterns()) {
  if (process.env.DGH_PATTERN && process.env.DGH_PATTERN !== pattern) continue;
  const owner = await loadPattern(pattern);
  if (process.env.DGH_IMPL) {
    subjects.push({
      pattern,
      name: "user",
      impl: process.env.DGH_IMPL,
      strategy: await loadStrategy(pattern, "user", process.env.DGH_IMPL),
      owner,
    });
    continue;
  }
  for (const name of listStrategies(pattern))
    subjects.push({ pattern, name, strategy: await loadStrategy(pattern, name), owner });
  // Services in other languages, through the worker protocol: the same profile, the same verdicts.
  for (const impl of exampleServices(pattern)) {
    const strategy = await loadStrategy(pattern, "", impl);
    subjects.push({ pattern, name: strategy.name, impl, strategy, owner });
  }
}

describe.each(subjects)("$pattern/$name", ({ pattern, name, impl, strategy, owner }) => {
  const cases = conformanceCases(owner, strategy, suiteTier());
  if (!cases.length)
    it("declares conformance cases", () => {
      expect(cases.length, "a strategy must declare the faults it is tested under").toBeGreaterThan(0);
    });
  const title = (c: (typeof cases)[number]) =>
    `${strategy.control ? `fails as a control${c.expectAnomalies ? ` (${c.expectAnomalies.join("/")})` : ""} under` : c.expectAnomalies ? `breaks outside its claim (${c.expectAnomalies.join("/")}) under` : "keeps its claims under"}: ${c.name}`;
  for (const c of cases)
    it(title(c), async () => {
      const r = await runScenario(caseScenario({ pattern, strategy: name, impl }, c), {
        env: stack.env(),
        reportsDir: stack.reports,
        log: () => {},
      });
      const evidence = `${r.runDir}/summary.md:\n${fs.readFileSync(`${r.runDir}/summary.md`, "utf8").slice(0, 3000)}`;
      // Pending work, a fault that did not apply, a figure the fault had to produce: each would pass for nothing.
      expect(judgeCase(c, strategy, r).problems, evidence).toEqual([]);
    }, 180_000);
});
