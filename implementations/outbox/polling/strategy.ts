import path from "node:path";
import { fileURLToPath } from "node:url";
import { numberedWorker, workerSet } from "../../../harness/workers/worker-set.js";
import type { Strategy } from "../../../harness/run/contracts.js";
import { kafkaBrokers, pgConfig } from "../../../harness/env/environment.js";
import { sumWorkerStats } from "../../../harness/workers/worker-stats.js";
import { outboxOrderService } from "../shared/order-service.js";
import { schemaFor, topicFor } from "../shared/outbox-schema.js";
import { outboxTableStats } from "../shared/outbox-stats.js";

const relayModule = path.join(path.dirname(fileURLToPath(import.meta.url)), "relay.ts");
const instances = (o: Record<string, unknown>) => Number(o.instances ?? 1);

const polling: Strategy = {
  name: "polling",
  description:
    "Polling publisher: relays claim unpublished outbox rows with FOR UPDATE SKIP LOCKED, publish, then mark them.",
  claims: { delivery: "at-least-once", ordering: "per-key" },
  options: {
    instances: {
      type: "integer",
      min: 1,
      max: 8,
      default: 1,
      description: "relay processes, each polling its own shard of orders",
    },
    batchSize: { type: "integer", min: 1, max: 10_000, default: 100, description: "outbox rows claimed per poll" },
    pollIntervalMs: {
      type: "integer",
      min: 1,
      max: 60_000,
      default: 100,
      description: "wait after a poll that found nothing",
    },
    cleanup: {
      type: "string",
      values: ["mark", "delete"],
      default: "mark",
      description: "mark published rows, or delete them",
    },
    retentionS: {
      type: "number",
      min: 0,
      max: 3600,
      default: 5,
      description: "how long marked rows are kept before they are deleted",
    },
  },
  workers: (o) => workerSet("relay", instances(o), ["after-publish", "after-mark"]),
  conformance: [
    {
      name: "relay killed after publish, before mark",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "relay", failpoint: "after-publish" } }],
    },
    {
      name: "Kafka unreachable from the relay",
      faults: [{ atS: 2, forS: 3, fault: { kind: "link-down", service: "kafka" } }],
    },
    {
      name: "PostgreSQL slow (200 ms)",
      tier: "full", // a slow poll is a late one; CI has the relay's crashes and the restart
      faults: [
        {
          atS: 2,
          forS: 3,
          fault: {
            kind: "toxic",
            service: "postgres",
            toxic: { type: "latency", attributes: { latency: 200, jitter: 50 } },
          },
        },
      ],
    },
    {
      name: "two relays, one killed",
      options: { instances: 2 },
      faults: [{ atS: 2, forS: 2, fault: { kind: "kill", target: "relay-2" } }],
    },
  ],
  async start(ctx) {
    const svc = outboxOrderService(ctx);
    const o = ctx.options;
    const n = instances(o);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      await ctx.spawnWorker({
        name: numberedWorker("relay", i),
        module: relayModule,
        config: {
          pg: pgConfig(ctx.env, "proxied"),
          brokers: kafkaBrokers(ctx.env, "proxied"),
          schema: schemaFor(ctx.runId),
          topic: topicFor(ctx.runId),
          batchSize: Number(o.batchSize ?? 100),
          pollIntervalMs: Number(o.pollIntervalMs ?? 100),
          shard: i,
          shards: n,
          cleanup: o.cleanup === "delete" ? "delete" : "mark",
          retentionS: Number(o.retentionS ?? 5),
        },
      });
    }
    return {
      invoke: (op) => svc.invoke(op),
      idle: async () => (await svc.unpublished()) === 0,
      async stats() {
        const s = sumWorkerStats(ctx.dir, "relay");
        const seconds = (performance.now() - t0) / 1000;
        return {
          ...s,
          relayQueriesPerS: (s.queries ?? 0) / seconds,
          relayCpuMsPerS: (s.cpuMs ?? 0) / seconds,
          ...(await outboxTableStats(svc.pool, schemaFor(ctx.runId))),
        };
      },
      close: () => svc.close(),
    };
  },
};
export default polling;
