import path from "node:path";
import { fileURLToPath } from "node:url";
import { Kafka, logLevel } from "kafkajs";
import type { RunContext, StrategyRun } from "../../../harness/run/contracts.js";
import { kafkaBrokers, pgConfig } from "../../../harness/env/environment.js";
import { groupLag } from "../../../harness/util/kafka-lag.js";
import { sumWorkerStats } from "../../../harness/workers/worker-stats.js";
import { rssKiB } from "../../../harness/util/proc-stats.js";
import { orderService } from "./order-service.js";
import { commandFor, schemasFor, topicsFor } from "./saga-schema.js";
import { firstStep } from "./saga-steps.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const participantModule = path.join(here, "participant.ts");
export const orchestratorModule = path.join(here, "orchestrator.ts");

/** The workers of an orchestrated saga and their failpoints (the profile sweeps a crash across each). */
export const orchestrationWorkers = () => ({
  orchestrator: ["after-publish", "after-step", "mid-compensation"],
  inventory: ["after-commit"],
  payment: ["after-commit"],
});

export interface OrchestrationOptions {
  /** false: the no-compensation control. */
  compensate: boolean;
  /** The non-idempotent-refund control. */
  refundsUnguarded?: boolean;
  /** Another orchestrator worker module (the in-memory-orchestrator control). */
  orchestrator?: string;
}

/**
 * An orchestrated saga: the order service commits the order with its first command in the outbox, the
 * orchestrator worker moves it step by step, the inventory and payment participants apply the commands.
 */
/** Each saga's consumer group: `<run>-saga-<who>`. */
export const sagaGroup = (ctx: RunContext, who: string) => `${ctx.runId}-saga-${who}`;

/** The inventory and payment participants, each consuming its command topic and replying on the replies topic. */
export async function spawnParticipants(ctx: RunContext, refundsUnguarded = false): Promise<void> {
  const schemas = schemasFor(ctx.runId),
    topics = topicsFor(ctx.runId);
  for (const p of ["inventory", "payment"] as const)
    await ctx.spawnWorker({
      name: p,
      module: participantModule,
      config: {
        pg: pgConfig(ctx.env, "proxied"),
        brokers: kafkaBrokers(ctx.env, "proxied"),
        topic: topics[p],
        repliesTopic: topics.replies,
        groupId: sagaGroup(ctx, p),
        schema: schemas[p],
        refundsUnguarded: p === "payment" && refundsUnguarded,
      },
    });
}

/** One command in `1 / rate` published twice on purpose (the workload's `redeliverRate`, default 5%). */
export const redeliverEvery = (ctx: RunContext) => {
  const rate = Number(ctx.workload.params.redeliverRate ?? 0.05);
  return rate > 0 ? Math.max(2, Math.round(1 / rate)) : Number.MAX_SAFE_INTEGER;
};

export async function startOrchestration(ctx: RunContext, o: OrchestrationOptions): Promise<StrategyRun> {
  const schemas = schemasFor(ctx.runId),
    topics = topicsFor(ctx.runId);
  const brokers = kafkaBrokers(ctx.env, "proxied");
  const group = (name: string) => sagaGroup(ctx, name);
  await spawnParticipants(ctx, o.refundsUnguarded);
  const orchestrator = await ctx.spawnWorker({
    name: "orchestrator",
    module: o.orchestrator ?? orchestratorModule,
    config: {
      pg: pgConfig(ctx.env, "proxied"),
      brokers,
      topics,
      groupId: group("orchestrator"),
      schema: schemas.orders,
      compensate: o.compensate,
      redeliverEvery: redeliverEvery(ctx),
    },
  });
  const orders = orderService(ctx, async (db, order) => {
    await db.query(`insert into ${schemas.orders}.dgh_saga_outbox (topic, saga_id, message) values ($1, $2, $3)`, [
      topics.inventory,
      order.id,
      commandFor(order, firstStep()),
    ]);
  });
  const admin = new Kafka({ brokers: kafkaBrokers(ctx.env, "direct"), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const t0 = performance.now();
  return {
    invoke: (op) => orders.invoke(op),
    async pending() {
      const { rows } = await orders.pool.query<{ n: string }>(
        `select count(*) n from ${schemas.orders}.dgh_saga_outbox`,
      );
      return [
        { stage: "saga outbox (unpublished commands)", count: Number(rows[0]!.n) },
        { stage: "inventory (command lag)", count: await groupLag(admin, group("inventory"), topics.inventory) },
        { stage: "payment (command lag)", count: await groupLag(admin, group("payment"), topics.payment) },
        { stage: "orchestrator (reply lag)", count: await groupLag(admin, group("orchestrator"), topics.replies) },
        // Not the sagas still running: a saga whose work is in no stage is stuck, and the checker must say so.
      ];
    },
    async stats() {
      const seconds = (performance.now() - t0) / 1000;
      const orch = sumWorkerStats(ctx.dir, "orchestrator");
      const inv = sumWorkerStats(ctx.dir, "inventory"),
        pay = sumWorkerStats(ctx.dir, "payment");
      const { rows } = await orders.pool.query<{ sagas: string; ended: string }>(
        `select count(*) sagas, count(ended_at) ended from ${schemas.orders}.dgh_orders`,
      );
      const sagas = Math.max(1, Number(rows[0]!.ended));
      // Rows written in the three services' schemas (PostgreSQL's cumulative statistics, flushed within a second).
      const writes = await orders.pool.query<{ n: string }>(
        "select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) n from pg_stat_user_tables where schemaname = any($1)",
        [Object.values(schemas)],
      );
      const commands = (inv.commands ?? 0) + (pay.commands ?? 0);
      return {
        sagas: Number(rows[0]!.sagas),
        commandsPerSaga: commands / sagas,
        // Each command travels out and its reply back.
        messagesPerSaga: (commands + (orch.replies ?? 0)) / sagas,
        dbRowWritesPerSaga: Number(writes.rows[0]!.n) / sagas,
        // The orchestration engine's resident memory: here, the orchestrator process.
        engineRssMiB: orchestrator.pid ? rssKiB(orchestrator.pid) / 1024 : 0,
        redeliveredCommands: orch.redelivered ?? 0,
        duplicateCommandsAbsorbed: (inv.duplicates ?? 0) + (pay.duplicates ?? 0),
        staleReplies: orch.staleReplies ?? 0,
        orchestratorCpuMsPerS: (orch.cpuMs ?? 0) / seconds,
        participantsCpuMsPerS: ((inv.cpuMs ?? 0) + (pay.cpuMs ?? 0)) / seconds,
        relayQueriesPerS: (orch.relayQueries ?? 0) / seconds,
      };
    },
    async close() {
      await orders.close();
      await admin.disconnect();
    },
  };
}
