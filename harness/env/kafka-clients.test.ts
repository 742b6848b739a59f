import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kafka, logLevel } from "kafkajs";
import { KafkaJS } from "@confluentinc/kafka-javascript";
import { NativeEnvironment } from "./native/native-environment.js";
import { kafkaBrokers, type Route } from "./environment.js";
import { collect } from "../../suites/support/kafka-helpers.js";
import { createTopics } from "../util/kafka-topics.js";

// Both Node clients against the pinned broker: plain round trip, and transactions seen by read_committed.
let env: NativeEnvironment;
beforeAll(async () => {
  env = await NativeEnvironment.start();
});
afterAll(async () => {
  await env?.teardown();
});

const routes: Route[] = ["direct", "proxied"];

describe.each(routes)("kafkajs via %s", (route) => {
  it("round-trips a message and a read_committed consumer sees only committed transactions", async () => {
    const brokers = kafkaBrokers(env, route);
    const topic = `kjs-${route}`;
    await createTopics(brokers, [topic]);
    const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
    const plain = kafka.producer();
    await plain.connect();
    await plain.send({ topic, messages: [{ key: "k", value: "plain" }] });
    await plain.disconnect();
    const tx = kafka.producer({ transactionalId: `kjs-tx-${route}`, idempotent: true, maxInFlightRequests: 1 });
    await tx.connect();
    const aborted = await tx.transaction();
    await aborted.send({ topic, messages: [{ key: "k", value: "aborted" }] });
    await aborted.abort();
    const committed = await tx.transaction();
    await committed.send({ topic, messages: [{ key: "k", value: "committed" }] });
    await committed.commit();
    await tx.disconnect();

    const seen: string[] = [];
    const consumer = kafka.consumer({ groupId: `kjs-g-${route}`, readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(String(message.value));
      },
    });
    await collect(() => seen, 2);
    await new Promise((r) => setTimeout(r, 500)); // give an aborted record the chance to show up wrongly
    await consumer.disconnect();
    expect(seen).toEqual(["plain", "committed"]);
  });
});

describe.each(routes)("@confluentinc/kafka-javascript via %s", (route) => {
  it("round-trips a message and a read_committed consumer sees only committed transactions", async () => {
    const brokers = kafkaBrokers(env, route);
    const topic = `ckjs-${route}`;
    await createTopics(brokers, [topic]);
    const kafka = new KafkaJS.Kafka({ kafkaJS: { brokers, logLevel: KafkaJS.logLevel.NOTHING } });
    const plain = kafka.producer({ "linger.ms": 0 });
    await plain.connect();
    await plain.send({ topic, messages: [{ key: "k", value: "plain" }] });
    await plain.disconnect();
    const tx = kafka.producer({
      kafkaJS: { transactionalId: `ckjs-tx-${route}`, idempotent: true, maxInFlightRequests: 1 },
      "linger.ms": 0,
    });
    await tx.connect();
    const aborted = await tx.transaction();
    await aborted.send({ topic, messages: [{ key: "k", value: "aborted" }] });
    await aborted.abort();
    const committed = await tx.transaction();
    await committed.send({ topic, messages: [{ key: "k", value: "committed" }] });
    await committed.commit();
    await tx.disconnect();

    const seen: string[] = [];
    const uncommitted: string[] = [];
    const consumer = kafka.consumer({
      kafkaJS: { groupId: `ckjs-g-${route}`, fromBeginning: true, readUncommitted: false },
    });
    const dirty = kafka.consumer({
      kafkaJS: { groupId: `ckjs-d-${route}`, fromBeginning: true, readUncommitted: true },
    });
    for (const [c, into] of [
      [consumer, seen],
      [dirty, uncommitted],
    ] as const) {
      await c.connect();
      await c.subscribe({ topic });
      await c.run({
        eachMessage: async ({ message }) => {
          into.push(String(message.value));
        },
      });
    }
    await collect(() => seen, 2);
    await collect(() => uncommitted, 3);
    await new Promise((r) => setTimeout(r, 500));
    await consumer.disconnect();
    await dirty.disconnect();
    expect(seen).toEqual(["plain", "committed"]);
    // The same records read with read_uncommitted do show the aborted one: the isolation level is what hides it.
    expect(uncommitted).toEqual(["plain", "aborted", "committed"]);
  });
});
