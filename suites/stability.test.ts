import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NativeEnvironment } from "../harness/env/native/native-environment.js";
import { runScenario } from "../harness/run/run-scenario.js";
import { expectationOf, stabilityScenario, stabilitySubjects } from "./support/stability.js";

/**
 * The stability check's CI tier: every reference and every control once more, under a fault schedule drawn from
 * another seed than the conformance suite's (a case chosen by the seed, each fault moved up to ±1 s). A false
 * verdict, or a run that cannot tell, fails here; `npm run bench:stability` runs it 20 times per strategy.
 */
const runs = Number(process.env.DGH_STABILITY_RUNS ?? 1);
// DGH_REPORTS_DIR keeps the run folders (e.g. to count what the faults proved); otherwise they are temporary.
const kept = process.env.DGH_REPORTS_DIR;
const reports = kept ? path.join(kept, "stability") : fs.mkdtempSync(path.join(os.tmpdir(), "dgh-stability-"));
let env: NativeEnvironment;
beforeAll(async () => {
  env = await NativeEnvironment.start({ connect: true });
}, 300_000);
afterAll(async () => {
  await env?.teardown();
  if (!kept) fs.rmSync(reports, { recursive: true, force: true });
});

const subjects = await stabilitySubjects();
describe.each(subjects)("$pattern/$name", (s) => {
  for (let k = 0; k < runs; k++) {
    const { scenario, drawn } = stabilityScenario(s, k);
    it(`seed ${scenario.seed}: ${drawn.name}`, async () => {
      const r = await runScenario(scenario, { env, reportsDir: reports, log: () => {} });
      const e = expectationOf(s, drawn, r);
      const summary = fs.readFileSync(path.join(r.runDir, "summary.md"), "utf8").slice(0, 3000);
      expect(e.met, `${e.says}\n${r.runDir}/summary.md:\n${summary}`).toBe(true);
    }, 180_000);
  }
});
