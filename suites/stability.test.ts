import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { runScenario } from "../harness/run/run-scenario.js";
import { expectationOf, stabilityScenario, stabilitySubjects } from "./support/stability.js";
import { suiteStack } from "./support/suite-stack.js";

/**
 * The stability check's CI tier: every strategy with a fault case of its own once more, under a fault schedule
 * drawn from another seed than the conformance suite's (a case chosen by the seed, each fault moved up to ±1 s). A
 * false verdict, or a run that cannot tell, fails here; `npm run bench:stability` runs every strategy 20 times,
 * no-fault cases and the pattern's profile included.
 */
const runs = Number(process.env.DGH_STABILITY_RUNS ?? 1);
const stack = suiteStack("stability");

const subjects = await stabilitySubjects("own");
describe.each(subjects)("$pattern/$name", (s) => {
  for (let k = 0; k < runs; k++) {
    const { scenario, drawn } = stabilityScenario(s, k);
    it(`seed ${scenario.seed}: ${drawn.name}`, async () => {
      const r = await runScenario(scenario, { env: stack.env(), reportsDir: stack.reports, log: () => {} });
      const e = expectationOf(s, drawn, r);
      const summary = fs.readFileSync(path.join(r.runDir, "summary.md"), "utf8").slice(0, 3000);
      expect(e.met, `${e.says}\n${r.runDir}/summary.md:\n${summary}`).toBe(true);
    }, 180_000);
  }
});
