import { afterAll, beforeAll, describe, expect, it } from "vitest";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { NativeEnvironment } from "../harness/env/native/native-environment.js";
import { listPatterns, listStrategies, loadStrategy } from "../harness/run/catalog.js";
import { runScenario } from "../harness/run/run-scenario.js";
import { parseScenario } from "../harness/scenario/load.js";
import type { Strategy } from "../harness/run/contracts.js";
import { expectation } from "../harness/run/expectation.js";

/**
 * The conformance suite: every strategy of every pattern, under each fault case it declares, on the real stack.
 * A reference strategy must keep its claims; a control must break them with an anomaly it names. Expectations
 * come from the strategies (claims, control, conformance cases), never from a table here.
 * A user's strategy: DGH_IMPL=path/to/strategy.ts DGH_PATTERN=outbox npx vitest run suites/conformance.test.ts
 */
// DGH_REPORTS_DIR keeps the run folders (e.g. to count what the faults proved); otherwise they are temporary.
const kept = process.env.DGH_REPORTS_DIR;
const reports = kept ? path.join(kept, "conformance") : fs.mkdtempSync(path.join(os.tmpdir(), "dgh-conformance-"));
let env: NativeEnvironment;
beforeAll(async () => {
  env = await NativeEnvironment.start({ connect: true });
}, 300_000);
afterAll(async () => {
  await env?.teardown();
  if (!kept) fs.rmSync(reports, { recursive: true, force: true });
});

const subjects: { pattern: string; name: string; impl?: string; strategy: Strategy }[] = [];
for (const pattern of listPatterns()) {
  if (process.env.DGH_PATTERN && process.env.DGH_PATTERN !== pattern) continue;
  if (process.env.DGH_IMPL) {
    subjects.push({
      pattern,
      name: "user",
      impl: process.env.DGH_IMPL,
      strategy: await loadStrategy(pattern, "user", process.env.DGH_IMPL),
    });
    continue;
  }
  for (const name of listStrategies(pattern))
    subjects.push({ pattern, name, strategy: await loadStrategy(pattern, name) });
}

describe.each(subjects)("$pattern/$name", ({ pattern, name, impl, strategy }) => {
  const cases = strategy.conformance ?? [];
  if (!cases.length)
    it("declares conformance cases", () => {
      expect(cases.length, "a strategy must declare the faults it is tested under").toBeGreaterThan(0);
    });
  const title = (c: (typeof cases)[number]) =>
    `${strategy.control ? `fails as a control${c.expectAnomalies ? ` (${c.expectAnomalies.join("/")})` : ""} under` : c.expectAnomalies ? `breaks outside its claim (${c.expectAnomalies.join("/")}) under` : "keeps its claims under"}: ${c.name}`;
  for (const c of cases)
    it(title(c), async () => {
      const scenario = parseScenario({
        pattern,
        strategy: name,
        impl,
        seed: 1234,
        durationS: c.durationS ?? 8,
        warmupS: 1,
        baselineS: 0,
        quiesceTimeoutS: 45,
        workload: { mode: "open", rateOpsPerS: 150, keyCount: 50, ...c.workload },
        options: c.options ?? {},
        faults: { timeline: c.faults },
      });
      const r = await runScenario(scenario, { env, reportsDir: reports, log: () => {} });
      const evidence = `${r.runDir}/summary.md:\n${fs.readFileSync(`${r.runDir}/summary.md`, "utf8").slice(0, 3000)}`;
      expect(r.quiesce.drained, `quiesce: pending ${JSON.stringify(r.quiesce.pending)}\n${evidence}`).toBe(true);
      // A fault that did not apply (or left no outcome) would make the case pass for nothing.
      expect(r.faults.length, "every scheduled fault ran").toBe(c.faults.length);
      for (const f of r.faults) expect(f.outcome, `${f.name}: ${f.error ?? "no outcome"}\n${evidence}`).toBe("applied");
      for (const [figure, min] of Object.entries(c.expectFigures ?? {}))
        expect(
          r.strategyStats[figure] ?? 0,
          `${figure} (the fault did not do what it is for)\n${evidence}`,
        ).toBeGreaterThanOrEqual(min);
      const e = expectation(r.judgement, strategy.control, c.expectAnomalies);
      expect(e.met, `${e.says}\n${evidence}`).toBe(true);
    }, 180_000);
});
