import { resilientPool } from "../../../harness/util/pg-pool.js";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Strategy } from "../../../harness/run/contracts.js";
import { kafkaBrokers, pgConfig } from "../../../harness/env/environment.js";
import { sumWorkerStats } from "../../../harness/workers/worker-stats.js";
import { outboxOrderService } from "../shared/order-service.js";
import { schemaFor, topicFor } from "../shared/outbox-schema.js";
import { slotLag } from "../shared/outbox-stats.js";

const relayModule = path.join(path.dirname(fileURLToPath(import.meta.url)), "relay.ts");

const cdcPgoutput: Strategy = {
  name: "cdc-pgoutput",
  description:
    "CDC relay of our own: reads outbox inserts from a pgoutput logical replication slot, publishes, then confirms the LSN.",
  options: {
    batchSize: { type: "integer", min: 1, max: 10_000, default: 100, description: "changes published per Kafka send" },
  },
  claims: { delivery: "at-least-once", ordering: "per-key" },
  workers: () => ({ relay: ["after-publish", "after-ack"] }),
  conformance: [
    {
      name: "relay killed after publish, before confirm",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "relay", failpoint: "after-publish" } }],
    },
    {
      name: "Kafka unreachable from the relay",
      faults: [{ atS: 2, forS: 3, fault: { kind: "link-down", service: "kafka" } }],
    },
    {
      // The profile's own case in CI; here for the stability draws and the full profile.
      name: "PostgreSQL restarted",
      faults: [{ atS: 3, forS: 0, fault: { kind: "restart", target: "postgres" } }],
      tier: "full",
    },
  ],
  async start(ctx) {
    const svc = outboxOrderService(ctx);
    const schema = schemaFor(ctx.runId),
      slot = `${ctx.runId}_slot`,
      publication = `${ctx.runId}_pub`;
    const admin = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 1 });
    await admin.query(`create publication ${publication} for table ${schema}.dgh_outbox`);
    await admin.query("select pg_create_logical_replication_slot($1, 'pgoutput')", [slot]);
    const t0 = performance.now();
    await ctx.spawnWorker({
      name: "relay",
      module: relayModule,
      config: {
        pg: pgConfig(ctx.env, "proxied"),
        brokers: kafkaBrokers(ctx.env, "proxied"),
        slot,
        publication,
        table: "dgh_outbox",
        topic: topicFor(ctx.runId),
        batchSize: Number(ctx.options.batchSize ?? 100),
      },
    });
    return {
      invoke: (op) => svc.invoke(op),
      // No idle probe: the slot's lag never reaches exactly 0 (the server writes WAL of its own), so quiesce
      // waits for deliveries to stop arriving.
      async stats() {
        const s = sumWorkerStats(ctx.dir, "relay");
        const seconds = (performance.now() - t0) / 1000;
        return {
          ...s,
          relayCpuMsPerS: (s.cpuMs ?? 0) / seconds,
          slotLagBytes: Math.max(0, await slotLag(admin, slot)),
        };
      },
      async close() {
        await svc.close();
        // The slot would hold WAL forever: drop it (after the relay stopped; retry while it lets go).
        for (let i = 0; i < 20; i++) {
          try {
            await admin.query("select pg_drop_replication_slot($1)", [slot]);
            break;
          } catch {
            await new Promise((r) => setTimeout(r, 250));
          }
        }
        await admin.end();
      },
    };
  },
};
export default cdcPgoutput;
