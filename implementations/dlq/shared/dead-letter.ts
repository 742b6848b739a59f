import type { IHeaders, KafkaMessage, Message } from "kafkajs";
import type { DeadLetter } from "../../../harness/checkers/types.js";
import { idHeader, PoisonError } from "./dlq-schema.js";

/** One attempt at a message: when it started (wall clock, ms) and how long it took to fail. */
export interface Attempt {
  atMs: number;
  ms: number;
}

/** Where a message came from, carried through retry topics to its dead letter (Spring for Apache Kafka's header names). */
export interface Origin {
  topic: string;
  partition: number;
  offset: string;
}
const h = {
  topic: "kafka_dlt-original-topic",
  partition: "kafka_dlt-original-partition",
  offset: "kafka_dlt-original-offset",
  error: "kafka_dlt-exception-message",
  errorClass: "dgh-error-class",
  attempts: "dgh-attempts",
};

const header = (headers: IHeaders | undefined, name: string) => {
  const v = headers?.[name];
  return v === undefined ? undefined : String(Array.isArray(v) ? v[0] : v);
};
export const messageId = (m: KafkaMessage) => header(m.headers, idHeader) ?? "";

/** A message's origin: its own place, or the one its retry-topic headers carry. */
export function originOf(m: KafkaMessage, topic: string, partition: number): Origin {
  return {
    topic: header(m.headers, h.topic) ?? topic,
    partition: Number(header(m.headers, h.partition) ?? partition),
    offset: header(m.headers, h.offset) ?? m.offset,
  };
}
/** The attempts made before this delivery (none on the main topic). */
export const attemptsOf = (m: KafkaMessage): Attempt[] => JSON.parse(header(m.headers, h.attempts) ?? "[]");

/** The same message with its origin and attempts so far: for a retry topic or the DLQ. */
export function carrying(m: KafkaMessage, o: Origin, attempts: Attempt[], error?: Error): Message {
  return {
    key: m.key,
    value: m.value,
    headers: {
      [idHeader]: messageId(m),
      [h.topic]: o.topic,
      [h.partition]: String(o.partition),
      [h.offset]: o.offset,
      [h.attempts]: JSON.stringify(attempts),
      ...(error && {
        [h.error]: error.message,
        [h.errorClass]: error instanceof PoisonError && error.fatal ? "fatal" : "retryable",
      }),
    },
  };
}

/** A dead letter for `<topic>.DLQ`, on its original partition. */
export const deadLetter = (m: KafkaMessage, o: Origin, attempts: Attempt[], error: Error): Message => ({
  ...carrying(m, o, attempts, error),
  partition: o.partition,
});

/** What a dead letter says, as the checkers read it. */
export function readDeadLetter(m: KafkaMessage): DeadLetter {
  const attempts = header(m.headers, h.attempts);
  const partition = header(m.headers, h.partition);
  return {
    id: messageId(m),
    key: m.key?.toString(),
    topic: header(m.headers, h.topic),
    partition: partition === undefined ? undefined : Number(partition),
    offset: header(m.headers, h.offset),
    error: header(m.headers, h.error),
    errorClass: header(m.headers, h.errorClass),
    attempts: attempts === undefined ? undefined : (JSON.parse(attempts) as Attempt[]),
  };
}
