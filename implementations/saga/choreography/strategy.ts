import path from "node:path";
import { fileURLToPath } from "node:url";
import { Kafka, logLevel } from "kafkajs";
import type { Strategy } from "../../../harness/run/contracts.js";
import { kafkaBrokers, pgConfig } from "../../../harness/env/environment.js";
import { groupLag } from "../../../harness/util/kafka-lag.js";
import { sumWorkerStats } from "../../../harness/workers/worker-stats.js";
import { orderService } from "../shared/order-service.js";
import { schemasFor, topicsFor } from "../shared/saga-schema.js";
import { redeliverEvery, sagaGroup } from "../shared/start-orchestration.js";
import type { SagaEvent, Service } from "../shared/choreography-service.js";

const serviceModule = path.join(path.dirname(fileURLToPath(import.meta.url)), "../shared/choreography-service.ts");
const services: Service[] = ["orders", "inventory", "payment"];

const choreography: Strategy = {
  name: "choreography",
  description:
    "No orchestrator: each service reacts to the others' events on Kafka and publishes its own through its outbox; a failure event makes the services upstream compensate.",
  claims: { sagas: "atomic", effects: "exactly-once" },
  // The three services share one outbox relay: its crash after publishing is swept in the order service only
  // (events published twice also come from the workload's redeliveries, at every service).
  workers: () => ({
    orders: ["after-publish", "after-step"],
    inventory: ["after-commit"],
    payment: ["after-commit"],
  }),
  conformance: [
    {
      name: "order service killed (SIGKILL) mid-run, restarted",
      faults: [{ atS: 2, forS: 2, fault: { kind: "kill", target: "orders" } }],
      tier: "full", // CI has the sweep's crash at each of its failpoints
    },
    {
      // Inventory and payment run the same participant code; CI crashes payment after its commit (the step that
      // takes money), and this one in the full profile.
      name: "inventory killed after its commit, before its reply",
      faults: [{ atS: 2, forS: 4, fault: { kind: "crash-at", target: "inventory", failpoint: "after-commit" } }],
      tier: "full",
    },
  ],
  async start(ctx) {
    const schemas = schemasFor(ctx.runId),
      topics = topicsFor(ctx.runId);
    for (const service of services)
      await ctx.spawnWorker({
        name: service,
        module: serviceModule,
        config: {
          service,
          pg: pgConfig(ctx.env, "proxied"),
          brokers: kafkaBrokers(ctx.env, "proxied"),
          topics,
          groupId: sagaGroup(ctx, service),
          schema: schemas[service],
          redeliverEvery: redeliverEvery(ctx),
        },
      });
    // The saga starts with the order and its OrderPlaced event in one transaction.
    const orders = orderService(ctx, async (db, order) => {
      await db.query(`insert into ${schemas.orders}.dgh_saga_outbox (topic, saga_id, message) values ($1, $2, $3)`, [
        topics.ordersEvents,
        order.id,
        { type: "OrderPlaced", order } satisfies SagaEvent,
      ]);
    });
    const admin = new Kafka({ brokers: kafkaBrokers(ctx.env, "direct"), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const listens: Record<Service, string[]> = {
      orders: [topics.inventoryEvents, topics.paymentEvents],
      inventory: [topics.ordersEvents, topics.paymentEvents],
      payment: [topics.inventoryEvents, topics.ordersEvents],
    };
    const t0 = performance.now();
    return {
      invoke: (op) => orders.invoke(op),
      async pending() {
        const stages = [];
        for (const s of services) {
          const { rows } = await orders.pool.query<{ n: string }>(
            `select count(*) n from ${schemas[s]}.dgh_saga_outbox`,
          );
          let lag = 0;
          for (const topic of listens[s]) lag += await groupLag(admin, sagaGroup(ctx, s), topic);
          stages.push(
            { stage: `${s} outbox (unpublished events)`, count: Number(rows[0]!.n) },
            { stage: `${s} (event lag)`, count: lag },
          );
        }
        // Not the sagas still running: a saga whose work is in no stage is stuck, and the checker must say so.
        return stages;
      },
      async stats() {
        const seconds = (performance.now() - t0) / 1000;
        const all = services.map((s) => sumWorkerStats(ctx.dir, s));
        const sum = (k: string) => all.reduce((n, x) => n + (x[k] ?? 0), 0);
        const { rows } = await orders.pool.query<{ ended: string }>(
          `select count(ended_at) ended from ${schemas.orders}.dgh_orders`,
        );
        const sagas = Math.max(1, Number(rows[0]!.ended));
        const writes = await orders.pool.query<{ n: string }>(
          "select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) n from pg_stat_user_tables where schemaname = any($1)",
          [Object.values(schemas)],
        );
        return {
          sagas,
          // Each event is published once and read by the services that listen to its topic.
          messagesPerSaga: sum("published") / sagas,
          eventsHandledPerSaga: sum("events") / sagas,
          dbRowWritesPerSaga: Number(writes.rows[0]!.n) / sagas,
          redeliveredEvents: sum("redelivered"),
          duplicateEventsAbsorbed: sum("duplicates"),
          // No orchestration engine: the order service is the closest thing.
          orchestratorCpuMsPerS: (all[0]!.cpuMs ?? 0) / seconds,
          participantsCpuMsPerS: ((all[1]!.cpuMs ?? 0) + (all[2]!.cpuMs ?? 0)) / seconds,
          relayQueriesPerS: sum("relayQueries") / seconds,
        };
      },
      async close() {
        await orders.close();
        await admin.disconnect();
      },
    };
  },
};
export default choreography;
