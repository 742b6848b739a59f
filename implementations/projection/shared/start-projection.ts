import path from "node:path";
import { fileURLToPath } from "node:url";
import { Kafka, logLevel } from "kafkajs";
import type { RunContext, Strategy, StrategyRun } from "../../../harness/run/contracts.js";
import { kafkaBrokers, pgConfig } from "../../../harness/env/environment.js";
import { groupLag } from "../../../harness/util/kafka-lag.js";
import { sumWorkerStats } from "../../../harness/workers/worker-stats.js";
import type { ProjectorConfig } from "./projector.js";
import { groupFor, schemaFor, topicFor } from "./projection-schema.js";
import { writeSide } from "./write-side.js";

const here = path.dirname(fileURLToPath(import.meta.url));
/**
 * The write side's publisher: the outbox pattern's polling relay, on direct routes (the profile's cuts and toxics
 * aim at the read side; its crash after publishing is a case of the sweep).
 */
const relayModule = path.join(here, "../../outbox/polling/relay.ts");

/** How a strategy's projector keeps its read model. */
export type ProjectorPolicy = Pick<ProjectorConfig, "mode" | "rebuild">;

/**
 * A projection strategy: the write side (commands commit events and their outbox rows; the relay publishes them)
 * and the projector, on the proxied routes the faults cut, keeping the read model as `policy` says.
 */
export async function startProjection(ctx: RunContext, policy: ProjectorPolicy): Promise<StrategyRun> {
  const schema = schemaFor(ctx.runId),
    topic = topicFor(ctx.runId),
    groupId = groupFor(ctx.runId);
  const writes = writeSide(ctx);
  await ctx.spawnWorker({
    name: "relay",
    module: relayModule,
    config: {
      pg: pgConfig(ctx.env, "direct"),
      brokers: kafkaBrokers(ctx.env, "direct"),
      schema,
      topic,
      batchSize: 500,
      pollIntervalMs: 10,
      shard: 0,
      shards: 1,
      cleanup: "mark",
      retentionS: 5,
    },
  });
  const config: ProjectorConfig = {
    pg: pgConfig(ctx.env, "proxied"),
    brokers: kafkaBrokers(ctx.env, "proxied"),
    schema,
    topic,
    groupId,
    ...policy,
  };
  const t0 = performance.now();
  await ctx.spawnWorker({ name: "projector", module: path.join(here, "projector.ts"), config });
  const admin = new Kafka({ brokers: kafkaBrokers(ctx.env, "direct"), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  return {
    invoke: (op) => writes.invoke(op),
    pending: async () =>
      [
        { stage: "relay (unpublished outbox rows)", count: await writes.unpublished() },
        { stage: "projector (group lag)", count: await groupLag(admin, groupId, topic) },
      ].filter((p) => p.count > 0),
    async stats() {
      const seconds = (performance.now() - t0) / 1000;
      const s = sumWorkerStats(ctx.dir, "projector");
      return {
        ...s,
        appliedPerS: (s.applied ?? 0) / seconds,
        projectorCpuMsPerS: (s.cpuMs ?? 0) / seconds,
        relayCpuMsPerS: (sumWorkerStats(ctx.dir, "relay").cpuMs ?? 0) / seconds,
      };
    },
    async close() {
      await writes.close();
      await admin.disconnect();
    },
  };
}

/**
 * The workers of a projection strategy and where each can crash. The relay is the write side, but its crash after
 * publishing and before marking puts those events in the log twice (it is at-least-once, as CDC is): the sweep
 * makes every reference absorb that, not only when a database restart happens to land there.
 */
export const projectionWorkers =
  (...projectorFailpoints: string[]): NonNullable<Strategy["workers"]> =>
  () => ({ projector: ["after-apply", ...projectorFailpoints], relay: ["after-publish"] });

/** What every reference projection promises: dgh verifies each (read-model-convergence, monotonic-reads). */
export const projectionClaims = { state: "consistent", effects: "exactly-once", reads: "monotonic" } as const;

/** When a rebuilding strategy starts its rebuild: after any fault of a case is armed (2 s in), inside the run. */
export const rebuildOptions: NonNullable<Strategy["options"]> = {
  rebuildAtS: {
    type: "number",
    min: 0.5,
    max: 3600,
    default: 5,
    description: "seconds after the projector starts that it rebuilds the read model from the beginning",
  },
};
