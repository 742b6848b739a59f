import type pg from "pg";
import type { Producer } from "kafkajs";
import { failpoint } from "../../../harness/workers/worker-runtime.js";
import {
  type Command,
  commandFor,
  type Order,
  participantOf,
  type Reply,
  type SagaTopics,
} from "../shared/saga-schema.js";

/** What the activities need from their worker: the orders schema, a producer, and the replies as they come in. */
export interface ActivityDeps {
  pool: pg.Pool;
  schema: string;
  producer: Producer;
  topics: SagaTopics;
  /** Resolves with the participant's reply to `commandId`, or rejects after the timeout. */
  awaitReply(commandId: string, timeoutMs: number): Promise<Reply>;
  redeliverEvery: number;
  stats: { commands: number; redelivered: number; replies: number };
}

/**
 * The saga's activities. `command` sends a command to its participant and waits for the reply; when the reply
 * does not come (a participant down, a link cut) the activity fails and Temporal retries it, sending the same
 * command again. Failpoints: "after-reply" (the reply is in, the activity not yet completed: Temporal runs it
 * again on the restarted worker) and "mid-compensation" (the same inside a refund or a release).
 */
export function createActivities(d: ActivityDeps) {
  let sent = 0;
  return {
    /** The order row the observer and the checkers read (a retried activity finds it there). */
    async record(o: Order): Promise<void> {
      await d.pool.query(
        `insert into ${d.schema}.dgh_orders (id, customer, sku, qty, amount, card, plan, step, status)
        values ($1, $2, $3, $4, $5, $6, $7, 'temporal', 'running') on conflict (id) do nothing`,
        [o.id, o.customer, o.sku, o.qty, o.amount, o.card, o.plan],
      );
    },
    async command(o: Order, type: Command["type"]): Promise<Reply> {
      const c = commandFor(o, type);
      const copies = ++sent % d.redeliverEvery === 0 ? 2 : 1;
      if (copies === 2) d.stats.redelivered++;
      const waiting = d.awaitReply(c.commandId, 8000);
      await d.producer.send({
        topic: d.topics[participantOf(type)],
        acks: -1,
        messages: Array.from({ length: copies }, () => ({ key: o.id, value: JSON.stringify(c) })),
      });
      d.stats.commands += copies;
      const reply = await waiting;
      d.stats.replies++;
      failpoint(type === "refund" || type === "release" ? "mid-compensation" : "after-reply", 1);
      return reply;
    },
    async finish(orderId: string, status: "completed" | "compensated"): Promise<void> {
      await d.pool.query(
        `update ${d.schema}.dgh_orders set status = $2, ended_at = clock_timestamp() where id = $1 and status = 'running'`,
        [orderId, status],
      );
    },
  };
}
export type SagaActivities = ReturnType<typeof createActivities>;
