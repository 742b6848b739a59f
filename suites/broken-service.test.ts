import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../harness/env/stack-paths.js";
import { loadPattern, loadStrategy } from "../harness/run/catalog.js";
import { caseScenario, conformanceCases, judgeCase } from "../harness/run/conformance-cases.js";
import { runScenario } from "../harness/run/run-scenario.js";
import { suiteStack } from "./support/suite-stack.js";

/**
 * A black-box service that breaks its claim fails the pattern's profile: the Go relay with -mark-first (it marks
 * rows before publishing them) claims at-least-once like the honest one, and declares no case of its own; the
 * profile's crash at its after-mark failpoint must lose messages. Its honest sibling passes the same case in
 * suites/conformance.test.ts.
 */
const stack = suiteStack("broken-service");
const impl = path.join(repoRoot, "examples/go-outbox-relay/dgh-service.mark-first.yaml");

describe("a relay in Go that marks before it publishes", () => {
  it("fails the outbox profile's crash at after-mark with lost messages", async () => {
    const pattern = await loadPattern("outbox");
    const strategy = await loadStrategy("outbox", "", impl);
    const c = conformanceCases(pattern, strategy, "ci").find((x) => x.name === "profile: crash relay at after-mark");
    expect(c, "the profile crashes every declared failpoint").toBeDefined();
    const r = await runScenario(caseScenario({ pattern: "outbox", strategy: strategy.name, impl }, c!), {
      env: stack.env(),
      reportsDir: stack.reports,
      log: () => {},
    });
    const evidence = `${r.runDir}/summary.md:\n${fs.readFileSync(`${r.runDir}/summary.md`, "utf8").slice(0, 3000)}`;
    const outcome = judgeCase(c!, strategy, r);
    expect(outcome.met, evidence).toBe(false);
    expect(
      r.judgement.violations.map((v) => v.anomaly),
      evidence,
    ).toContain("lost");
    // The crash fired with rows mid-step: the verdict comes from the step, not from an empty poll.
    expect(r.faults[0]?.outcome, evidence).toBe("applied");
  }, 180_000);
});
