import type { ServiceHost, Strategy } from "../run/contracts.js";
import type { OptionSpecs } from "../run/options.js";
import { numberedWorker, workerSet } from "../workers/worker-set.js";
import { sumWorkerStats } from "../workers/worker-stats.js";
import type { ServiceManifest } from "./manifest.js";
import { serviceEnv } from "./service-env.js";

/**
 * A black-box service as a Strategy: the pattern's host does the harness's side of each op, and every worker of
 * the manifest runs as its own program, told the run's endpoints and names in its environment. Faults reach it as
 * they reach a built-in strategy: kill, pause and restart by pid, failpoints through the failpoint file.
 */
export function serviceStrategy(m: ServiceManifest, host: ServiceHost): Strategy {
  const opt = host.instancesOption;
  const options: OptionSpecs = opt
    ? {
        [opt]: {
          type: "integer",
          min: 1,
          max: 8,
          default: m.workers[host.worker]!.instances,
          description: `${host.worker} processes`,
        },
      }
    : {};
  /** How many of each worker these options run: the host's worker as the option says, the rest as the manifest. */
  const counts = (o: Record<string, unknown>) =>
    Object.entries(m.workers).map(
      ([base, w]) =>
        [base, w, base === host.worker && opt && o[opt] !== undefined ? Number(o[opt]) : w.instances] as const,
    );
  return {
    name: m.name,
    description: m.description,
    claims: m.claims,
    ...(m.control ? { control: m.control } : {}),
    ...(m.quietMs ? { quietMs: m.quietMs } : {}),
    options,
    workers: (o) => Object.assign({}, ...counts(o).map(([base, w, n]) => workerSet(base, n, w.failpoints))),
    conformance: m.conformance,
    async start(ctx) {
      const run = await host.start(ctx);
      const env = { ...serviceEnv(ctx), ...host.env(ctx) };
      try {
        for (const [base, w, n] of counts(ctx.options))
          for (let i = 0; i < n; i++)
            await ctx.spawnWorker({
              name: numberedWorker(base, i),
              command: { argv: w.argv, cwd: m.dir, env },
              config: env,
            });
      } catch (e) {
        await run.close();
        throw e;
      }
      return {
        ...run,
        // What the service's workers wrote to $DGH_STATS_FILE, summed over workers and restarts.
        stats: async () => ({ ...(await run.stats?.()), ...sumWorkerStats(ctx.dir, "") }),
      };
    },
  };
}
