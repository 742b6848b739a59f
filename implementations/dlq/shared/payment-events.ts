import { Kafka, logLevel } from "kafkajs";
import { kafkaBrokers } from "../../../harness/env/environment.js";
import type { Completion, OpSpec, RunContext } from "../../../harness/run/contracts.js";
import { idHeader, type Payment, topicFor } from "./dlq-schema.js";

/** What the workload asks for: a payment, or a poison message (a malformed payload or one that breaks a rule). */
export interface PaymentOp {
  amount: number;
  poison?: "malformed" | "rule";
}

/** The bytes of an op's message: a valid payment, one with a negative amount, or JSON cut off mid-way. */
export function messageValue(op: OpSpec): string {
  const v = op.value as PaymentOp;
  const p: Payment = { id: op.id, customer: op.key!, amount: v.poison === "rule" ? -v.amount : v.amount };
  const json = JSON.stringify(p);
  return v.poison === "malformed" ? json.slice(0, json.length / 2) : json;
}

/**
 * The upstream side: each op puts one message on the payments topic (direct route: the producer is not what is
 * under test). An op is ok when Kafka acknowledged it (acks=all): from then on it must be applied or dead-lettered.
 */
export async function paymentEvents(ctx: RunContext) {
  const kafka = new Kafka({
    brokers: kafkaBrokers(ctx.env, "direct"),
    clientId: `${ctx.runId}-payments`,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const topic = topicFor(ctx.runId);
  return {
    async invoke(op: OpSpec): Promise<Completion> {
      try {
        await producer.send({
          topic,
          acks: -1,
          messages: [{ key: op.key, value: messageValue(op), headers: { [idHeader]: op.id } }],
        });
        return { outcome: "ok" };
      } catch (e) {
        return { outcome: "info", error: (e as Error).message };
      }
    },
    close: () => producer.disconnect(),
  };
}
