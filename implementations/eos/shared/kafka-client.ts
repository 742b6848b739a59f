import { Kafka, logLevel } from "kafkajs";
import { KafkaJS } from "@confluentinc/kafka-javascript";
import { withTimeout } from "../../../harness/util/wait.js";

/**
 * The two Node Kafka clients behind the few calls the pipeline makes. @confluentinc/kafka-javascript (librdkafka)
 * offers a KafkaJS-shaped API, so the differences are in configuration and in one call: a transaction's
 * sendOffsets takes the consumer group id in kafkajs and the consumer itself in the confluent client (KIP-447:
 * the group generation travels with the offsets, so a fenced-off member cannot commit).
 */
export type ClientName = "kafkajs" | "confluent";
export const clientNames: readonly ClientName[] = ["kafkajs", "confluent"];

export interface Message {
  key?: string | null;
  value: string;
}
export interface TopicOffsets {
  topic: string;
  partitions: { partition: number; offset: string }[];
}
export interface Transaction {
  send(r: { topic: string; messages: Message[] }): Promise<unknown>;
  sendOffsets(offsets: { topics: TopicOffsets[] }): Promise<unknown>;
  commit(): Promise<unknown>;
  abort(): Promise<unknown>;
}
export interface Producer {
  connect(): Promise<void>;
  send(r: { topic: string; messages: Message[] }): Promise<unknown>;
  transaction(): Promise<Transaction>;
  disconnect(): Promise<void>;
}
export interface Batch {
  topic: string;
  partition: number;
  messages: { offset: string; key: Buffer | null; value: Buffer | null }[];
}
/** resolveOffset marks a record done: the client fetches after it (an unresolved batch is fetched again). */
export interface BatchContext {
  batch: Batch;
  resolveOffset(offset: string): void;
  isRunning(): boolean;
  isStale(): boolean;
  heartbeat(): Promise<void>;
}
export interface Consumer {
  connect(): Promise<void>;
  subscribe(topic: string): Promise<void>;
  run(eachBatch: (b: BatchContext) => Promise<void>): Promise<void>;
  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
  seek(s: { topic: string; partition: number; offset: string }): void;
  /** True once the group gave this member its partitions. */
  assigned(): boolean;
  disconnect(): Promise<void>;
}
/** True when one of these assigned partitions holds records the consumer has not processed yet. */
export type Behind = (partitions: number[]) => Promise<boolean>;
export interface Client {
  name: ClientName;
  producer(o: { transactionalId?: string; transactionTimeoutMs?: number }): Producer;
  /** `behind` lets a consumer notice that it stalled with work waiting (the confluent client's watchdog). */
  consumer(o: { groupId: string; readUncommitted?: boolean; behind?: Behind; onRebuild?: () => void }): Consumer;
  /** The group's committed offset of each partition of `topic` ("-1" when none). */
  committed(groupId: string, topic: string, o?: { stable?: boolean }): Promise<Map<number, string>>;
  /** The end of each partition of `topic`: its high watermark, or its last stable offset (read_committed). */
  ends(topic: string, readCommitted: boolean): Promise<Map<number, bigint>>;
  /** Wraps a transaction so sendOffsets carries what this client needs (group id or consumer). */
  offsetsOf(tx: Transaction, consumer: Consumer, groupId: string): Transaction;
  close(): Promise<void>;
}

/** DGH_KAFKA_LOG=debug: the clients' own logs go to the worker's log file. */
const debug = process.env.DGH_KAFKA_LOG === "debug";
// Short session so a killed or paused member is replaced in seconds (6 s is the broker's minimum).
const group = { sessionTimeout: 6000, heartbeatInterval: 500, rebalanceTimeout: 6000, maxWaitTimeInMs: 20 };

export function kafkaClient(name: ClientName, brokers: string[], clientId: string): Client {
  return name === "kafkajs" ? kafkajsClient(brokers, clientId) : confluentClient(brokers, clientId);
}

/**
 * Committed group offsets as a partition's new holder must read them: stable (KIP-447 require_stable), so an
 * offset commit still pending in a transaction is waited for, never read stale. kafkajs's OffsetFetch cannot ask
 * for that, so both clients read through librdkafka's admin. Without it, on a loaded machine across a broker
 * restart, a takeover read the offset from before the last committed transaction and produced 10 approvals twice
 * (the same input offset at two output offsets).
 */
function committedOffsets(brokers: string[], clientId: string): Pick<Client, "committed" | "ends" | "close"> {
  const admin = new KafkaJS.Kafka({
    kafkaJS: { brokers, clientId: `${clientId}-offsets`, logLevel: KafkaJS.logLevel.NOTHING },
  }).admin();
  let up: Promise<void> | undefined;
  return {
    async committed(groupId, topic, o = {}) {
      up ??= admin.connect();
      await up;
      const requireStableOffsets = o.stable ?? true;
      const [t] = await admin.fetchOffsets({ groupId, topics: [topic], requireStableOffsets });
      // A partition answered with an error (a coordinator still loading after a restart) has offset -1: reading
      // that as "never committed" would start it over from 0. Throw, and the caller takes the partition over again.
      const failed = (t?.partitions ?? []).find((p) => p.error);
      if (failed)
        throw new Error(`committed offset of ${groupId} ${topic}[${failed.partition}]: ${failed.error!.message}`);
      return new Map((t?.partitions ?? []).map((p) => [p.partition, p.offset]));
    },
    async ends(topic, readCommitted) {
      up ??= admin.connect();
      await up;
      const isolationLevel = readCommitted
        ? KafkaJS.IsolationLevel.READ_COMMITTED
        : KafkaJS.IsolationLevel.READ_UNCOMMITTED;
      const offsets = await admin.fetchTopicOffsets(topic, { isolationLevel });
      return new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
    },
    close: async () => {
      if (up) await admin.disconnect();
    },
  };
}

function kafkajsClient(brokers: string[], clientId: string): Client {
  const kafka = new Kafka({
    brokers,
    clientId,
    logLevel: debug ? logLevel.INFO : logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 10_000,
  });
  const offsets = committedOffsets(brokers, clientId);
  return {
    name: "kafkajs",
    producer: (o) =>
      kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        transactionalId: o.transactionalId,
        transactionTimeout: o.transactionTimeoutMs,
      }) as unknown as Producer,
    consumer(o) {
      // A kafkajs consumer that crashes with restart: false (e.g. "Failed to find group coordinator" while the
      // broker restarts) stays dead without a word; this one is rebuilt with the same subscription and handler.
      let c: ReturnType<typeof kafka.consumer>;
      let topic: string | undefined;
      let handler: ((b: BatchContext) => Promise<void>) | undefined;
      let joined = false,
        stopped = false;
      const run = () =>
        c.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: (p) => handler!(p as unknown as BatchContext),
        });
      const make = () => {
        c = kafka.consumer({ groupId: o.groupId, readUncommitted: o.readUncommitted ?? false, ...group });
        c.on(c.events.GROUP_JOIN, () => {
          joined = true;
        });
        c.on(c.events.CRASH, (e) => {
          console.log(
            `${new Date().toISOString()} consumer crashed (restart: ${e.payload.restart}): ${e.payload.error.message}`,
          );
          if (!e.payload.restart && !stopped) void rebuild();
        });
      };
      const rebuild = async () => {
        await c.disconnect().catch(() => {});
        for (let attempt = 1; !stopped; attempt++) {
          make();
          try {
            await c.connect();
            if (topic) await c.subscribe({ topic, fromBeginning: true });
            if (handler) await run();
            console.log(`${new Date().toISOString()} consumer rebuilt (attempt ${attempt})`);
            return;
          } catch (e) {
            console.log(`${new Date().toISOString()} consumer rebuild failed: ${(e as Error).message}`);
            await c.disconnect().catch(() => {});
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
      };
      make();
      return {
        connect: () => c.connect(),
        subscribe: async (t) => {
          topic = t;
          await c.subscribe({ topic: t, fromBeginning: true });
        },
        run: async (eachBatch) => {
          handler = eachBatch;
          await run();
        },
        commitOffsets: (offsets) => c.commitOffsets(offsets),
        seek: (s) => c.seek(s),
        assigned: () => joined,
        disconnect: async () => {
          stopped = true;
          await c.disconnect();
        },
      };
    },
    committed: offsets.committed,
    ends: offsets.ends,
    offsetsOf: (tx, _consumer, groupId) => ({
      send: (r) => tx.send(r),
      sendOffsets: (o) =>
        (tx as unknown as { sendOffsets(x: unknown): Promise<unknown> }).sendOffsets({
          consumerGroupId: groupId,
          topics: o.topics,
        }),
      commit: () => tx.commit(),
      abort: () => tx.abort(),
    }),
    close: offsets.close,
  };
}

function confluentClient(brokers: string[], clientId: string): Client {
  const kafka = new KafkaJS.Kafka({
    kafkaJS: {
      brokers,
      clientId,
      logLevel: debug ? KafkaJS.logLevel.INFO : KafkaJS.logLevel.NOTHING,
      connectionTimeout: 3000,
      requestTimeout: 10_000,
    },
  });
  const offsets = committedOffsets(brokers, clientId);
  const raw = new WeakMap<Consumer, unknown>();
  return {
    name: "confluent",
    producer: (o) =>
      kafka.producer({
        // A transactionalId key present but undefined makes a plain producer refuse to send ("Erroneous state").
        kafkaJS: {
          idempotent: true,
          maxInFlightRequests: 1,
          acks: -1,
          ...(o.transactionalId ? { transactionalId: o.transactionalId } : {}),
        },
        "linger.ms": 0, // every send is awaited: batching would only add its delay (see MIGRATION.md)
        "reconnect.backoff.max.ms": 1000, // default 10 s: after a broker restart, reconnect within a second
        // librdkafka refuses a socket timeout above the transaction timeout + 100 ms (its default is 60 s).
        ...(o.transactionTimeoutMs
          ? {
              "transaction.timeout.ms": o.transactionTimeoutMs,
              "socket.timeout.ms": Math.min(60_000, o.transactionTimeoutMs),
            }
          : {}),
      }) as unknown as Producer,
    consumer(o) {
      const make = () =>
        kafka.consumer({
          // rebalanceTimeout is also librdkafka's max.poll.interval.ms here: keep it well above a broker restart.
          kafkaJS: {
            groupId: o.groupId,
            readUncommitted: o.readUncommitted ?? false,
            fromBeginning: true,
            autoCommit: false,
            ...group,
            rebalanceTimeout: 30_000,
          },
          ...(process.env.DGH_RDKAFKA_DEBUG ? { debug: process.env.DGH_RDKAFKA_DEBUG } : {}),
          "js.consumer.max.batch.size": 500, // default 32; larger batches let a transaction hold more records
          "reconnect.backoff.max.ms": 1000,
        });
      let c = make();
      let topic: string | undefined;
      let handler: ((b: BatchContext) => Promise<void>) | undefined;
      let stopped = false;
      const run = () =>
        c.run({
          eachBatchAutoResolve: false,
          eachBatch: (p) => {
            watchdog.batch();
            return handler!(p as unknown as BatchContext);
          },
        });
      // The KafkaJS-compatible consumer can stop calling eachBatch for good after a rebalance while its partitions
      // hold records (confluentinc/confluent-kafka-javascript#476, still open in 1.10.1: after a broker restart a
      // processor sat 45 s with input lag). Only a new consumer recovers, so one that is behind and silent is rebuilt.
      const watchdog = stallWatchdog({
        watching: () => (stopped || !handler ? false : c.assignment().length > 0),
        behind: async () => (o.behind ? o.behind(c.assignment().map((a) => a.partition)) : false),
        async rebuild() {
          o.onRebuild?.();
          // A stuck consumer may not leave cleanly: give it 10 s, then drop it (the group expels it by session timeout).
          await withTimeout(c.disconnect(), 10_000, "stalled consumer disconnect").catch(() => {});
          c = make();
          raw.set(wrapped, c);
          await c.connect();
          if (topic) await c.subscribe({ topics: [topic] });
          await run();
        },
      });
      const wrapped: Consumer = {
        connect: () => c.connect(),
        subscribe: async (t) => {
          topic = t;
          await c.subscribe({ topics: [t] });
        },
        run: async (eachBatch) => {
          handler = eachBatch;
          await run();
        },
        commitOffsets: (offsets) => c.commitOffsets(offsets),
        seek: (s) => c.seek(s),
        assigned: () => c.assignment().length > 0,
        disconnect: async () => {
          stopped = true;
          watchdog.stop();
          await c.disconnect();
        },
      };
      raw.set(wrapped, c);
      return wrapped;
    },
    committed: offsets.committed,
    ends: offsets.ends,
    offsetsOf: (tx, consumer) => ({
      send: (r) => tx.send(r),
      sendOffsets: (o) =>
        (tx as unknown as { sendOffsets(x: unknown): Promise<unknown> }).sendOffsets({
          consumer: raw.get(consumer),
          topics: o.topics,
        }),
      commit: () => tx.commit(),
      abort: () => tx.abort(),
    }),
    close: offsets.close,
  };
}

/**
 * Rebuilds a consumer that has been silent (no batch) for `stallMs` while `behind()` says its partitions hold
 * unprocessed records. After a rebuild it waits twice as long before the next (up to a minute); a batch resets it.
 */
function stallWatchdog(w: { watching: () => boolean; behind: () => Promise<boolean>; rebuild: () => Promise<void> }): {
  batch(): void;
  stop(): void;
} {
  const firstStallMs = 15_000;
  let lastBatchAt = Date.now();
  let stallMs = firstStallMs;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy || Date.now() - lastBatchAt < stallMs || !w.watching()) return;
    busy = true;
    try {
      if (await w.behind()) {
        console.log(
          `${new Date().toISOString()} consumer silent for ${Date.now() - lastBatchAt} ms with records waiting: rebuilding it`,
        );
        await w.rebuild();
        stallMs = Math.min(60_000, stallMs * 2);
      }
      lastBatchAt = Date.now();
    } catch (e) {
      console.log(`${new Date().toISOString()} consumer watchdog: ${(e as Error).message}`);
    } finally {
      busy = false;
    }
  }, 3000);
  timer.unref();
  return {
    batch() {
      lastBatchAt = Date.now();
      stallMs = firstStallMs;
    },
    stop: () => clearInterval(timer),
  };
}
