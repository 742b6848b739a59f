import path from "node:path";
import { fileURLToPath } from "node:url";
import { Kafka, logLevel } from "kafkajs";
import type { RunContext, StrategyRun } from "../../../harness/run/contracts.js";
import { kafkaBrokers, pgConfig } from "../../../harness/env/environment.js";
import { createTopics } from "../../../harness/util/kafka-topics.js";
import { groupLag } from "../../../harness/util/kafka-lag.js";
import { sumWorkerStats } from "../../../harness/workers/worker-stats.js";
import { declaredWaits } from "../../../harness/checkers/dead-letters.js";
import { backoffOf, dlqTopicFor, groupFor, schemaFor, topicFor } from "./dlq-schema.js";
import { paymentEvents } from "./payment-events.js";
import type { BlockingConfig } from "./blocking-consumer.js";

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where a dead letter can be, on the way: the failpoints every consumer of this pattern has. */
export const deadLetterFailpoints = ["before-dlq-write", "after-dlq-write"] as const;

/** The consumer's side of a blocking strategy: how it retries and what it does when it gives up. */
export type BlockingPolicy = Pick<BlockingConfig, "retry" | "onGiveUp" | "commitBeforeDeadLetter">;

/** Retry topics for these waits: one per distinct wait (the longest reused), as Spring names them by index. */
export const retryTopicsFor = (runId: string, o: Record<string, unknown>) =>
  [...new Set(declaredWaits(backoffOf(o)))].map((_, i) => `${topicFor(runId)}-retry-${i}`);

/**
 * A dlq strategy: its consumer (blocking, with a policy, or through retry topics) and the DLQ reprocessor, both
 * on the proxied routes the faults cut; the ops put payments on the topic.
 */
export async function startDlq(
  ctx: RunContext,
  consumer: { blocking: BlockingPolicy } | { retryTopics: true },
): Promise<StrategyRun> {
  const o = ctx.options;
  const brokers = kafkaBrokers(ctx.env, "proxied");
  const retryTopics = "retryTopics" in consumer ? retryTopicsFor(ctx.runId, o) : [];
  await createTopics(kafkaBrokers(ctx.env, "direct"), retryTopics, Number(ctx.workload.params.partitions ?? 3));
  const common = {
    pg: pgConfig(ctx.env, "proxied"),
    brokers,
    topic: topicFor(ctx.runId),
    dlqTopic: dlqTopicFor(ctx.runId),
    groupId: groupFor(ctx.runId),
    schema: schemaFor(ctx.runId),
    backoff: backoffOf(o),
  };
  const events = await paymentEvents(ctx);
  const t0 = performance.now();
  await ctx.spawnWorker({
    name: "consumer",
    module: path.join(here, "blocking" in consumer ? "blocking-consumer.ts" : "retry-topics-consumer.ts"),
    config: "blocking" in consumer ? { ...common, ...consumer.blocking } : { ...common, retryTopics },
  });
  const reprocessorGroup = `${ctx.runId}-dlq-reprocessor`;
  await ctx.spawnWorker({
    name: "reprocessor",
    module: path.join(here, "reprocessor.ts"),
    config: { ...common, groupId: reprocessorGroup },
  });
  const kafka = new Kafka({ brokers: kafkaBrokers(ctx.env, "direct"), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  // The main group's lag twice a second: how far a blocked partition lets the backlog grow.
  let maxLag = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      maxLag = Math.max(maxLag, await groupLag(admin, common.groupId, common.topic).catch(() => 0));
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  const retryLag = async () => {
    let n = 0;
    for (const t of retryTopics) n += await groupLag(admin, `${common.groupId}-retry`, t);
    return n;
  };
  return {
    invoke: (op) => events.invoke(op),
    pending: async () =>
      [
        { stage: "consumer (group lag)", count: await groupLag(admin, common.groupId, common.topic) },
        { stage: "retry topics (lag)", count: await retryLag() },
        { stage: "DLQ reprocessor (lag)", count: await groupLag(admin, reprocessorGroup, common.dlqTopic) },
      ].filter((p) => p.count > 0),
    async stats() {
      const seconds = (performance.now() - t0) / 1000;
      const s = sumWorkerStats(ctx.dir, "consumer");
      const r = sumWorkerStats(ctx.dir, "reprocessor");
      return {
        ...s,
        replayed: r.replayed ?? 0,
        parked: r.parked ?? 0,
        attemptsPerMessage: s.messages ? (s.attempts ?? 0) / s.messages : 0,
        maxLag,
        consumerCpuMsPerS: (s.cpuMs ?? 0) / seconds,
      };
    },
    async close() {
      sampling = false;
      await sampler;
      await events.close();
      await admin.disconnect();
    },
  };
}

/** The workers of a dlq strategy and where each can crash. */
export const dlqWorkers =
  (...consumerFailpoints: string[]) =>
  (): Record<string, readonly string[]> => ({ consumer: consumerFailpoints, reprocessor: [] });
