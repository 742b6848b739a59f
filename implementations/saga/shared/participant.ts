import type pg from "pg";
import { failpoint, log, onStop, ready, workerConfig, workerStats } from "../../../harness/workers/worker-runtime.js";
import { applyCommand, applyOnce } from "./participant-effects.js";
import { withRetries } from "./with-retries.js";
import { consumeInOrder, sagaClients } from "./saga-kafka.js";
import type { Command, Reply } from "./saga-schema.js";

/**
 * A saga participant (inventory or payment): consumes its command topic, applies each command once in its own
 * schema, replies on the replies topic, then commits the offset. Killed after its local commit and before its
 * reply (failpoint "after-commit"), it gets the command again and sends the reply it stored.
 * `refundsUnguarded` is the non-idempotent-refund control: refunds skip the guard and the "what is still held"
 * check, so a redelivered refund pays back twice.
 */
interface Config {
  pg: pg.ClientConfig;
  brokers: string[];
  topic: string;
  repliesTopic: string;
  groupId: string;
  schema: string;
  refundsUnguarded?: boolean;
}
const c = workerConfig<Config>();
const stats = workerStats({ commands: 0, applied: 0, duplicates: 0, failedSteps: 0, errors: 0 });
const { pool, producer, consumer } = sagaClients(c);

async function handle(command: Command): Promise<Reply> {
  const db = await pool.connect();
  try {
    await db.query("begin");
    const unguarded = c.refundsUnguarded && command.type === "refund";
    const r = unguarded
      ? { reply: await applyCommand(db, c.schema, command, { refundAll: true }), applied: true }
      : await applyOnce(db, c.schema, command);
    await db.query("commit");
    if (r.applied) stats.applied++;
    else stats.duplicates++;
    if (!r.reply.ok) stats.failedSteps++;
    return r.reply;
  } catch (e) {
    await db.query("rollback").catch(() => {});
    throw e;
  } finally {
    db.release();
  }
}

await producer.connect();
await consumeInOrder(consumer, [c.topic], async (value) => {
  const command = JSON.parse(value) as Command;
  stats.commands++;
  const reply = await withRetries(
    () => handle(command),
    () => stats.errors++,
  );
  failpoint("after-commit", 1); // applied and committed locally, no reply sent yet
  await producer.send({ topic: c.repliesTopic, messages: [{ key: command.sagaId, value: JSON.stringify(reply) }] });
});
onStop(async () => {
  await consumer.disconnect();
  await producer.disconnect();
  await pool.end();
});
ready();
log(`participant on ${c.topic}${c.refundsUnguarded ? " (refunds unguarded)" : ""}`);
