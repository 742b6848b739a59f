import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from "@temporalio/client";
import type { Strategy } from "../../../harness/run/contracts.js";
import { endpoint, kafkaBrokers, pgConfig } from "../../../harness/env/environment.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { sumWorkerStats } from "../../../harness/workers/worker-stats.js";
import { rssKiB } from "../../../harness/util/proc-stats.js";
import { orderOf } from "../shared/order-service.js";
import { schemasFor, topicsFor } from "../shared/saga-schema.js";
import { redeliverEvery, sagaGroup, spawnParticipants } from "../shared/start-orchestration.js";
import { workflowBundle } from "./workflow-bundle.js";

const workerModule = path.join(path.dirname(fileURLToPath(import.meta.url)), "temporal-worker.ts");

const orchestrationTemporal: Strategy = {
  name: "orchestration-temporal",
  description:
    "A Temporal workflow per order (Temporal's dev server, SQLite): each step an activity, compensations registered as steps succeed and run in reverse; Temporal keeps the saga's state and retries activities.",
  claims: { sagas: "atomic", effects: "exactly-once" },
  needs: ["temporal"],
  // Server and worker spend ~33 ms of CPU per saga; on 2 cores beside Kafka and PostgreSQL saga latency stays near
  // 0.2 s up to 10 sagas/s, 0.5 s at 20/s, and runs away at 40/s (bench:saga): 10/s keeps headroom under faults.
  workload: { rateOpsPerS: 10 },
  workers: () => ({
    "temporal-worker": ["after-reply", "mid-compensation"],
    inventory: ["after-commit"],
    payment: ["after-commit"],
  }),
  conformance: [
    {
      name: "Temporal worker killed (SIGKILL) mid-run, restarted",
      faults: [{ atS: 2, forS: 2, fault: { kind: "kill", target: "temporal-worker" } }],
      tier: "full", // CI has the sweep's crash at each of its failpoints
    },
    {
      // Inventory and payment run the same participant code; CI crashes payment after its commit (the step that
      // takes money), and this one in the full profile.
      name: "inventory killed after its commit, before its reply",
      faults: [{ atS: 2, forS: 4, fault: { kind: "crash-at", target: "inventory", failpoint: "after-commit" } }],
      tier: "full",
    },
    {
      name: "Temporal server restarted",
      faults: [{ atS: 2, forS: 0, fault: { kind: "restart", target: "temporal" } }],
    },
  ],
  async start(ctx) {
    const schemas = schemasFor(ctx.runId),
      topics = topicsFor(ctx.runId);
    const taskQueue = `${ctx.runId}-sagas`;
    const temporal = (route: "direct" | "proxied") => {
      const e = endpoint(ctx.env, "temporal", route);
      return `${e.host}:${e.port}`;
    };
    await spawnParticipants(ctx);
    const worker = await ctx.spawnWorker({
      name: "temporal-worker",
      module: workerModule,
      config: {
        temporal: temporal("proxied"),
        taskQueue,
        pg: pgConfig(ctx.env, "proxied"),
        brokers: kafkaBrokers(ctx.env, "proxied"),
        topics,
        groupId: sagaGroup(ctx, "temporal-worker"),
        schema: schemas.orders,
        redeliverEvery: redeliverEvery(ctx),
        workflowBundle: await workflowBundle(),
      },
    });
    const serverRssKiB = () => {
      const pid = ctx.env.provider === "native" ? ctx.env.control("temporal").pid : undefined;
      return pid ? rssKiB(pid) : 0;
    };
    const connection = await Connection.connect({ address: temporal("proxied") });
    const client = new Client({ connection });
    const db = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 1 });
    const accepted = new Set<string>();
    const t0 = performance.now();
    return {
      // The order is accepted once Temporal has its workflow: from then on Temporal runs it to the end.
      async invoke(op) {
        const order = orderOf(op);
        try {
          await client.workflow.start("orderSaga", { taskQueue, workflowId: order.id, args: [order] });
        } catch (e) {
          if (!(e instanceof WorkflowExecutionAlreadyStartedError))
            return { outcome: "info", error: (e as Error).message };
        }
        accepted.add(order.id);
        return { outcome: "ok" };
      },
      async pending() {
        const { rows } = await db.query<{ n: string }>(
          `select count(*) n from ${schemas.orders}.dgh_orders where id = any($1) and status <> 'running'`,
          [[...accepted]],
        );
        return [{ stage: "sagas not finished (Temporal workflows)", count: accepted.size - Number(rows[0]!.n) }];
      },
      async stats() {
        const seconds = (performance.now() - t0) / 1000;
        const w = sumWorkerStats(ctx.dir, "temporal-worker");
        const inv = sumWorkerStats(ctx.dir, "inventory"),
          pay = sumWorkerStats(ctx.dir, "payment");
        const sagas = Math.max(1, accepted.size);
        const writes = await db.query<{ n: string }>(
          "select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) n from pg_stat_user_tables where schemaname = any($1)",
          [Object.values(schemas)],
        );
        return {
          sagas: accepted.size,
          commandsPerSaga: (w.commands ?? 0) / sagas,
          messagesPerSaga: ((w.commands ?? 0) + (w.replies ?? 0)) / sagas,
          dbRowWritesPerSaga: Number(writes.rows[0]!.n) / sagas,
          // The orchestration engine's resident memory: Temporal's server and the worker process.
          engineRssMiB: (serverRssKiB() + (worker.pid ? rssKiB(worker.pid) : 0)) / 1024,
          redeliveredCommands: w.redelivered ?? 0,
          duplicateCommandsAbsorbed: (inv.duplicates ?? 0) + (pay.duplicates ?? 0),
          orchestratorCpuMsPerS: (w.cpuMs ?? 0) / seconds,
          participantsCpuMsPerS: ((inv.cpuMs ?? 0) + (pay.cpuMs ?? 0)) / seconds,
        };
      },
      async close() {
        await connection.close();
        await db.end();
      },
    };
  },
};
export default orchestrationTemporal;
