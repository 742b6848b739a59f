import { kafkaBrokers, pgConfig, redisUrl } from "../env/environment.js";
import type { RunContext } from "../run/contracts.js";

/**
 * The endpoints every black-box service is told, as environment variables (harness/workers/PROTOCOL.md). All go
 * through Toxiproxy, so the run's link faults reach the service as they reach the built-in workers.
 */
export function serviceEnv(ctx: RunContext): Record<string, string> {
  const pg = pgConfig(ctx.env, "proxied");
  const env: Record<string, string> = {
    DGH_RUN_ID: ctx.runId,
    DGH_PG_HOST: pg.host,
    DGH_PG_PORT: String(pg.port),
    DGH_PG_USER: pg.user,
    DGH_PG_PASSWORD: pg.password,
    DGH_PG_DATABASE: pg.database,
    DGH_PG_URL: `postgres://${pg.user}:${pg.password}@${pg.host}:${pg.port}/${pg.database}`,
    DGH_KAFKA_BROKERS: kafkaBrokers(ctx.env, "proxied").join(","),
  };
  if (ctx.env.endpoints.redis) env.DGH_REDIS_URL = redisUrl(ctx.env, "proxied");
  return env;
}
