import path from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { numberedWorker, workerSet } from "../../../harness/workers/worker-set.js";
import type { RunContext, StrategyRun } from "../../../harness/run/contracts.js";
import type { OptionSpecs } from "../../../harness/run/options.js";
import { kafkaBrokers, pgConfig, redisUrl } from "../../../harness/env/environment.js";
import { sumWorkerStats } from "../../../harness/workers/worker-stats.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { paymentRequests } from "./payment-requests.js";
import { groupFor, schemaFor, topicFor } from "./payments-schema.js";

const consumerModule = path.join(path.dirname(fileURLToPath(import.meta.url)), "consumer.ts");
export const consumerOptions: OptionSpecs = {
  consumers: { type: "integer", min: 1, max: 8, default: 1, description: "consumer processes in the group" },
  ttlMs: {
    type: "integer",
    min: 1,
    max: 86_400_000,
    default: 600_000,
    description: "how long an idempotency key is kept (Redis guards)",
  },
};
/** The consumers for these options: each can crash after its charge, and at the guard's own failpoints. */
export const consumerWorkers = (guardFailpoints: readonly string[]) => (o: Record<string, unknown>) =>
  workerSet("consumer", consumerCount(o), ["after-charge", ...guardFailpoints]);
export const consumerCount = (o: Record<string, unknown>) => Number(o.consumers ?? 1);

/** Consumers in one group, each running `guardModule`; the ops put payment requests on the topic. */
export async function startPaymentStrategy(ctx: RunContext, guardModule: string): Promise<StrategyRun> {
  const requests = await paymentRequests(ctx);
  const o = ctx.options;
  const prefix = `${ctx.runId}`;
  const groupId = groupFor(ctx.runId);
  const t0 = performance.now();
  for (let i = 0; i < consumerCount(o); i++) {
    await ctx.spawnWorker({
      name: numberedWorker("consumer", i),
      module: consumerModule,
      config: {
        pg: pgConfig(ctx.env, "proxied"),
        redisUrl: redisUrl(ctx.env, "proxied"),
        brokers: kafkaBrokers(ctx.env, "proxied"),
        topic: topicFor(ctx.runId),
        groupId,
        schema: schemaFor(ctx.runId),
        prefix,
        ttlMs: Number(o.ttlMs ?? 600_000),
        guardModule,
      },
    });
  }
  const redis = new Redis(redisUrl(ctx.env, "direct"), { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on("error", () => {});
  const pool = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 1 });
  return {
    invoke: (op) => requests.invoke(op),
    pending: async () => [{ stage: "consumers (group lag)", count: await requests.lag(groupId) }],
    async stats() {
      const s = sumWorkerStats(ctx.dir, "consumer");
      const seconds = (performance.now() - t0) / 1000;
      // What the guard keeps: Redis keys of this run and their memory, the processed_events table.
      let keys = 0,
        sample: string | undefined;
      let cursor = "0";
      await redis.connect().catch(() => {});
      do {
        const [next, batch] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
        cursor = next;
        keys += batch.length;
        sample ??= batch[0];
      } while (cursor !== "0");
      const bytesPerKey = sample ? Number(await redis.memory("USAGE", sample)) : 0;
      const { rows } = await pool.query(
        `select count(*) n, pg_total_relation_size('${schemaFor(ctx.runId)}.dgh_processed_events') bytes from ${schemaFor(ctx.runId)}.dgh_processed_events`,
      );
      const dbRows = Number(rows[0].n),
        dbBytes = Number(rows[0].bytes);
      return {
        ...s,
        consumedPerS: (s.messages ?? 0) / seconds,
        consumerCpuMsPerS: (s.cpuMs ?? 0) / seconds,
        redisGuardKeys: keys,
        redisBytesPerKey: bytesPerKey,
        redisMiBPerMillion: (bytesPerKey * 1e6) / 2 ** 20,
        processedEventsRows: dbRows,
        processedEventsKiB: Math.round(dbBytes / 1024),
        processedEventsMiBPerMillion: dbRows ? ((dbBytes / dbRows) * 1e6) / 2 ** 20 : 0,
      };
    },
    async close() {
      await requests.close();
      redis.disconnect();
      await pool.end();
    },
  };
}

export const guardPath = (metaUrl: string) => path.join(path.dirname(fileURLToPath(metaUrl)), "guard.ts");
