import path from "node:path";
import { readHistory } from "../history/reader.js";
import { readObservation, readRunRecord, runFiles } from "../record/run-record.js";
import { loadPattern } from "../run/catalog.js";
import { judgeRun } from "../run/judge-run.js";
import { InputError } from "../util/errors.js";
import fs from "node:fs";

/**
 * `dgh check <run-dir>`: the checkers and claims again on a stored run (its history, its observation, how its
 * quiesce ended), with no service started. Says whether the verdict is the stored one.
 */
export async function checkCommand(dir: string): Promise<number> {
  if (!fs.existsSync(path.join(dir, runFiles.record)))
    throw new InputError(`${dir} is not a finished dgh run folder (no run.json)`);
  const t0 = performance.now();
  const record = readRunRecord(dir);
  const history = readHistory(path.join(dir, runFiles.history));
  const observation = readObservation(dir);
  const pattern = await loadPattern(record.scenario.pattern);
  const again = judgeRun(pattern, record.strategy, history, observation, record.quiesce);
  const ms = Math.round(performance.now() - t0);
  const before = record.judgement.result,
    now = again.judgement.result;
  const same = before === now && again.expectation.met === record.expectation.met;
  console.log(`${record.scenario.pattern}/${record.strategy.name}: ${now.toUpperCase()} — ${again.expectation.says}`);
  for (const v of again.judgement.violations) console.log(`  violates claim: ${v.anomaly} x${v.count} (${v.checker})`);
  for (const u of again.judgement.unknown) console.log(`  unknown: ${u.checker}: ${u.error}`);
  console.log(`checked ${history.length.toLocaleString("en-US")} history events in ${ms} ms, no service started`);
  console.log(
    same
      ? `same verdict as stored (${before.toUpperCase()})`
      : `DIFFERS from the stored verdict: stored ${before.toUpperCase()}, now ${now.toUpperCase()} (the checkers changed since the run?)`,
  );
  return same ? again.expectation.exitCode : 1;
}
