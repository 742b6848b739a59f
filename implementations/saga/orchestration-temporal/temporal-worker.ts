import type pg from "pg";
import { NativeConnection, Runtime, Worker, DefaultLogger } from "@temporalio/worker";
import { log, onStop, ready, workerConfig, workerStats } from "../../../harness/workers/worker-runtime.js";
import { sagaClients } from "../shared/saga-kafka.js";
import type { Reply, SagaTopics } from "../shared/saga-schema.js";
import { createActivities } from "./activities.js";

/**
 * The Temporal worker: polls the run's task queue for the order workflow and its activities. The replies from
 * the participants arrive on one topic; each waiting activity is handed its own (a reply that comes before
 * anyone waits, e.g. to a command sent again after a restart, is kept for a minute).
 */
interface Config {
  temporal: string;
  taskQueue: string;
  pg: pg.ClientConfig;
  brokers: string[];
  topics: SagaTopics;
  groupId: string;
  schema: string;
  redeliverEvery: number;
  /** The workflow code, bundled by the harness (workflow-bundle.ts). */
  workflowBundle: string;
}
const c = workerConfig<Config>();
const stats = workerStats({ commands: 0, redelivered: 0, replies: 0 });
Runtime.install({ logger: new DefaultLogger("WARN") });
const { pool, producer, consumer } = sagaClients(c);

const waiters = new Map<string, (r: Reply) => void>();
const early = new Map<string, { reply: Reply; at: number }>();
function awaitReply(commandId: string, timeoutMs: number): Promise<Reply> {
  const kept = early.get(commandId);
  if (kept) {
    early.delete(commandId);
    return Promise.resolve(kept.reply);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(commandId);
      reject(new Error(`no reply to ${commandId} within ${timeoutMs} ms`));
    }, timeoutMs);
    waiters.set(commandId, (r) => {
      clearTimeout(timer);
      waiters.delete(commandId);
      resolve(r);
    });
  });
}

await producer.connect();
await consumer.connect();
await consumer.subscribe({ topic: c.topics.replies, fromBeginning: true });
await consumer.run({
  eachMessage: async ({ message }) => {
    const reply = JSON.parse(String(message.value)) as Reply;
    const waiter = waiters.get(reply.commandId);
    if (waiter) waiter(reply);
    else early.set(reply.commandId, { reply, at: Date.now() });
  },
});
setInterval(() => {
  for (const [id, e] of early) if (Date.now() - e.at > 60_000) early.delete(id);
}, 10_000).unref();

const connection = await NativeConnection.connect({ address: c.temporal });
const worker = await Worker.create({
  connection,
  taskQueue: c.taskQueue,
  workflowBundle: { codePath: c.workflowBundle },
  activities: createActivities({
    pool,
    schema: c.schema,
    producer,
    topics: c.topics,
    awaitReply,
    redeliverEvery: c.redeliverEvery,
    stats,
  }),
});
const running = worker.run();
onStop(async () => {
  worker.shutdown();
  await running.catch(() => {});
  await connection.close();
  await consumer.disconnect();
  await producer.disconnect();
  await pool.end();
});
ready();
log(`temporal worker on ${c.taskQueue} (${c.temporal})`);
