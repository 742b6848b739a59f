import type { ProviderName } from "../env/environment.js";
import { expandSchedule } from "../faults/schedule.js";
import { validateFault, type FaultContext, type TimedFault } from "../faults/fault-spec.js";
import type { Scenario } from "../scenario/scenario.js";
import { loadPattern, loadStrategy } from "./catalog.js";
import { resolveOptions } from "./options.js";
import type { Pattern, Strategy } from "./contracts.js";

/** A scenario checked against the catalog: everything a run needs before any service starts. */
export interface PreparedRun {
  scenario: Scenario;
  pattern: Pattern;
  strategy: Strategy;
  options: Record<string, unknown>;
  timeline: TimedFault[];
}

/**
 * Loads the pattern and strategy, resolves and type-checks the strategy's options, expands the fault schedule
 * and validates every fault it could hold (every entry of a random schedule, whatever this seed draws).
 * Bad input throws InputError (exit 2) before a folder is written or a service starts.
 */
export async function prepareRun(scenario: Scenario, provider?: ProviderName): Promise<PreparedRun> {
  const pattern = await loadPattern(scenario.pattern);
  const strategy = await loadStrategy(scenario.pattern, scenario.strategy, scenario.impl, scenario.implCmd);
  const options = resolveOptions(strategy.name, strategy.options ?? {}, strategy.defaults ?? {}, scenario.options);
  const failpoints = strategy.workers?.(options) ?? {};
  const environment = provider ?? scenario.environment;
  const ctx: FaultContext = {
    services: ["kafka", "postgres", "redis", ...(strategy.needs ?? [])],
    workers: Object.keys(failpoints),
    failpoints,
    // An external stack's processes are not ours to signal; "auto" is native unless a Docker engine answers.
    serviceProcesses: environment === "native" || environment === "auto",
  };
  for (const f of [...(scenario.faults.timeline ?? []).map((t) => t.fault), ...(scenario.faults.random?.faults ?? [])])
    validateFault(f, ctx);
  const timeline = expandSchedule(scenario.faults, scenario.durationS, scenario.seed);
  return { scenario, pattern, strategy, options, timeline };
}
