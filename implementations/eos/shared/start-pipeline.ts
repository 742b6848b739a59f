import path from "node:path";
import { fileURLToPath } from "node:url";
import { Kafka, logLevel } from "kafkajs";
import { numberedWorker, workerSet } from "../../../harness/workers/worker-set.js";
import type { RunContext, Strategy, StrategyRun } from "../../../harness/run/contracts.js";
import type { OptionSpecs } from "../../../harness/run/options.js";
import { kafkaBrokers, pgConfig } from "../../../harness/env/environment.js";
import { sumWorkerStats } from "../../../harness/workers/worker-stats.js";
import { clientNames, kafkaClient, type ClientName } from "./kafka-client.js";
import { groupsFor, schemaFor, topicsFor, type PaymentRequest } from "./pipeline.js";
import { groupLag } from "../../../harness/util/kafka-lag.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * How a strategy assembles the pipeline: processor mode and sink mode; options choose the client and sizes.
 * `processorModule`: a processor of your own (a worker module reading the same config as shared/processor.ts).
 */
export interface PipelineSpec {
  processor: "transactions" | "at-least-once";
  sink: "kafka-offsets" | "offsets-in-db";
  processorModule?: string;
}

/** The options every eos strategy takes (the pattern's observer reads `reader`). */
export const pipelineOptions: OptionSpecs = {
  client: {
    type: "string",
    values: clientNames,
    default: "kafkajs",
    description: "Kafka client of the processor and the sink",
  },
  processors: { type: "integer", min: 1, max: 8, default: 1, description: "processor processes in the group" },
  txRecords: { type: "integer", min: 1, max: 100_000, default: 100, description: "most records per transaction" },
  transactionTimeoutMs: {
    type: "integer",
    min: 1000,
    max: 900_000,
    default: 10_000,
    description: "the processor's transaction.timeout.ms",
  },
  sinkBatchRecords: {
    type: "integer",
    min: 1,
    max: 100_000,
    default: 100,
    description: "records per sink database transaction",
  },
  reader: {
    type: "string",
    values: ["read_committed", "read_uncommitted"],
    default: "read_committed",
    description: "which downstream reader the checkers judge",
  },
};

export function clientOf(options: Record<string, unknown>): ClientName {
  const client = (options.client ?? "kafkajs") as ClientName;
  if (!clientNames.includes(client))
    throw new Error(`option client must be one of ${clientNames.join(", ")}, got ${String(client)}`);
  return client;
}

/** The workers a pipeline has for these options, and their failpoints (for validating a fault schedule). */
export function pipelineWorkers(options: Record<string, unknown>): Record<string, readonly string[]> {
  return { ...workerSet("processor", Number(options.processors), ["after-produce"]), sink: ["after-apply"] };
}

/**
 * Starts the processors (the Kafka link under test goes through Toxiproxy), the sink (its PostgreSQL link goes
 * through Toxiproxy; it reads Kafka directly, so a fault on the processor's link stays the processor's), and
 * the upstream producer the ops use.
 */
export async function startPipeline(ctx: RunContext, spec: PipelineSpec): Promise<StrategyRun> {
  const o = ctx.options;
  const client = clientOf(o);
  const topics = topicsFor(ctx.runId);
  const t0 = performance.now();
  for (let i = 0; i < Number(o.processors); i++) {
    await ctx.spawnWorker({
      name: numberedWorker("processor", i),
      module: spec.processorModule ?? path.join(here, "processor.ts"),
      config: {
        client,
        brokers: kafkaBrokers(ctx.env, "proxied"),
        input: topics.input,
        output: topics.output,
        groupId: groupsFor(ctx.runId).processor,
        mode: spec.processor,
        txRecords: Number(o.txRecords ?? 100),
        transactionTimeoutMs: Number(o.transactionTimeoutMs ?? 10_000),
      },
    });
  }
  await ctx.spawnWorker({
    name: "sink",
    module: path.join(here, "sink.ts"),
    config: {
      client,
      brokers: kafkaBrokers(ctx.env, "direct"),
      topic: topics.output,
      groupId: groupsFor(ctx.runId).sink,
      mode: spec.sink,
      pg: pgConfig(ctx.env, "proxied"),
      schema: schemaFor(ctx.runId),
      batchRecords: Number(o.sinkBatchRecords ?? 100),
    },
  });
  // The upstream system (direct route, not under test): an op is ok once Kafka acknowledged its request. It is
  // librdkafka's idempotent producer: kafkajs's (maxInFlightRequests 1) hung for good after a broker restart in a
  // 20 s run (every send after it unanswered, the run UNKNOWN), and the upstream must not be the weak part.
  const kafka = new Kafka({
    brokers: kafkaBrokers(ctx.env, "direct"),
    clientId: `${ctx.runId}-requests`,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafkaClient("confluent", kafkaBrokers(ctx.env, "direct"), `${ctx.runId}-requests`).producer({});
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  return {
    async invoke(op) {
      const v = op.value as { amount: number; seq: number };
      const req: PaymentRequest = { paymentId: op.id, customerId: op.key!, amount: v.amount, seq: v.seq };
      try {
        await producer.send({ topic: topics.input, messages: [{ key: req.customerId, value: JSON.stringify(req) }] });
        return { outcome: "ok" };
      } catch (e) {
        return { outcome: "info", error: (e as Error).message };
      }
    },
    /** The processor group's lag on the input (no transaction markers there); the sink's stage is the pattern's. */
    async pending() {
      return [
        { stage: "processor (input lag)", count: await groupLag(admin, groupsFor(ctx.runId).processor, topics.input) },
      ];
    },
    async stats() {
      const seconds = (performance.now() - t0) / 1000;
      const p = sumWorkerStats(ctx.dir, "processor");
      const s = sumWorkerStats(ctx.dir, "sink");
      const prefixed = (prefix: string, x: Record<string, number>) =>
        Object.fromEntries(Object.entries(x).map(([k, v]) => [`${prefix}.${k}`, v]));
      return {
        ...prefixed("processor", p),
        ...prefixed("sink", s),
        processedPerS: (p.produced ?? 0) / seconds,
        processorCpuMsPerS: (p.cpuMs ?? 0) / seconds,
        recordsPerTransaction: p.transactions ? (p.produced ?? 0) / p.transactions : 0,
      };
    },
    async close() {
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}

/**
 * The same conformance case for each client: the report compares kafkajs and the confluent client. `secondInCi`
 * false leaves the second client's copy to the full profile (the client's own code paths, fencing and recovery
 * after a broker restart, stay in CI for both; slow links and resets add little a second time).
 */
export function forBothClients(
  cases: NonNullable<Strategy["conformance"]>,
  { secondInCi = true } = {},
): NonNullable<Strategy["conformance"]> {
  return clientNames.flatMap((client, i) =>
    cases.map((c) => ({
      ...c,
      name: `${c.name} [${client}]`,
      options: { ...c.options, client },
      ...(i > 0 && !secondInCi && { tier: "full" as const }),
    })),
  );
}
