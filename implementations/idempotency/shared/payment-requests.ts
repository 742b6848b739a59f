import { Kafka, logLevel, type Producer } from "kafkajs";
import { kafkaBrokers } from "../../../harness/env/environment.js";
import type { Completion, OpSpec, RunContext } from "../../../harness/run/contracts.js";
import type { PaymentRequest } from "./payments-schema.js";
import { topicFor } from "./payments-schema.js";
import { groupLag } from "../../../harness/util/kafka-lag.js";

/**
 * The upstream side: each op puts one payment request on the topic (direct route: the upstream system is not
 * what is under test). An op is ok when Kafka acknowledged it (acks=all): from then on it must be charged once.
 */
export async function paymentRequests(
  ctx: RunContext,
): Promise<{ invoke(op: OpSpec): Promise<Completion>; lag(groupId: string): Promise<number>; close(): Promise<void> }> {
  const kafka = new Kafka({
    brokers: kafkaBrokers(ctx.env, "direct"),
    clientId: `${ctx.runId}-requests`,
    logLevel: logLevel.NOTHING,
  });
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  const topic = topicFor(ctx.runId);
  return {
    async invoke(op) {
      const v = op.value as { amount: number };
      const req: PaymentRequest = { paymentId: op.id, customerId: op.key!, amount: v.amount };
      try {
        await producer.send({ topic, acks: -1, messages: [{ key: req.customerId, value: JSON.stringify(req) }] });
        return { outcome: "ok" };
      } catch (e) {
        return { outcome: "info", error: (e as Error).message };
      }
    },
    /** Requests the consumer group has not committed yet: the consumers' stage of the pipeline. */
    lag: (groupId) => groupLag(admin, groupId, topic),
    async close() {
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}
