import type { Pending, PatternRun, StrategyRun } from "./contracts.js";
import type { QuiesceRecord } from "../record/run-record.js";
import { sleep } from "../util/wait.js";

/** A stage probe's answer; one that fails (a group coordinator still loading after a restart) says nothing is sure. */
async function probe(who: string, f: () => Promise<Pending[]>): Promise<Pending[]> {
  try {
    return await f();
  } catch (e) {
    return [{ stage: `${who} (probe failed: ${(e as Error).message})`, count: 1 }];
  }
}

/** Every stage that still holds work: the strategy's (its idle probe and its own stages) and the pattern's. */
async function pendingStages(pattern: PatternRun, strategy: StrategyRun): Promise<Pending[]> {
  const stages = await Promise.all([
    probe("strategy", async () =>
      (await (strategy.idle?.() ?? true)) ? [] : [{ stage: "strategy (not idle)", count: 1 }],
    ),
    probe("strategy", async () => (await strategy.pending?.()) ?? []),
    probe("pipeline", async () => (await pattern.pending?.()) ?? []),
  ]);
  return stages.flat().filter((p) => p.count > 0);
}

/**
 * Quiesce: drained when everything committed has arrived and no stage holds work; or when nothing has arrived
 * for `quietMs` and no stage holds work (what is still missing then is lost, not late). When the bound passes
 * first, the stages still holding work are named and a loss cannot be decided.
 */
export async function quiesce(
  pattern: PatternRun,
  strategy: StrategyRun,
  quietMs: number,
  boundS: number,
  log: (line: string) => void = () => {},
): Promise<QuiesceRecord> {
  const t0 = performance.now();
  const done = (pending: Pending[]): QuiesceRecord => ({
    drained: pending.length === 0,
    waitedMs: Math.round(performance.now() - t0),
    boundS,
    pending,
  });
  let last = await pattern.progress();
  let lastChange = performance.now();
  let lastSaid = "";
  while (performance.now() - t0 < boundS * 1000) {
    await sleep(250);
    const now = await pattern.progress();
    if (now !== last) {
      last = now;
      lastChange = performance.now();
    }
    const quietFor = performance.now() - lastChange;
    const allArrived = pattern.outstanding && quietFor >= 500 && (await pattern.outstanding()) === 0;
    if (!allArrived && quietFor < quietMs) continue;
    const pending = await pendingStages(pattern, strategy);
    if (!pending.length) return done([]);
    const said = pending.map((p) => `${p.count} in ${p.stage}`).join(", ");
    if (said !== lastSaid) log(`quiet for ${Math.round(quietFor)} ms, still pending: ${said}`);
    lastSaid = said;
  }
  const outstanding = (await pattern.outstanding?.()) ?? 0;
  const pending = await pendingStages(pattern, strategy);
  // Stages all empty but arrivals still moving: what has not arrived is in flight somewhere.
  return done(pending.length || !outstanding ? pending : [{ stage: "arrivals (still moving)", count: outstanding }]);
}
