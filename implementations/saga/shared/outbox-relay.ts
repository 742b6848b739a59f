import type pg from "pg";
import type { Producer } from "kafkajs";
import { failpoint, log } from "../../../harness/workers/worker-runtime.js";

/**
 * A service's outbox relay: publishes the rows of `<schema>.dgh_saga_outbox` in order, then deletes them. A crash
 * between the two (failpoint "after-publish") publishes them again, which the receivers' guards absorb. One message
 * in `redeliverEvery` is published twice on purpose. Returns a stop function that waits for the loop to end.
 */
export function startOutboxRelay(o: {
  pool: pg.Pool;
  schema: string;
  producer: Producer;
  redeliverEvery: number;
  stats: { published: number; redelivered: number; relayQueries: number };
  /** Called with each batch before it is published (the in-memory control learns of new sagas here). */
  beforePublish?: (sagaIds: string[]) => Promise<void>;
}): () => Promise<void> {
  let relaying = true;
  let sent = 0;
  const once = async (): Promise<number> => {
    o.stats.relayQueries++;
    const { rows } = await o.pool.query<{ id: string; topic: string; saga_id: string; message: unknown }>(
      `select id, topic, saga_id, message from ${o.schema}.dgh_saga_outbox order by id limit 200`,
    );
    if (!rows.length) return 0;
    await o.beforePublish?.(rows.map((r) => r.saga_id));
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const r of rows) {
      const copies = ++sent % o.redeliverEvery === 0 ? 2 : 1;
      if (copies === 2) o.stats.redelivered++;
      const list = byTopic.get(r.topic) ?? [];
      byTopic.set(r.topic, list);
      for (let i = 0; i < copies; i++) list.push({ key: r.saga_id, value: JSON.stringify(r.message) });
    }
    await o.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
    o.stats.published += rows.length;
    failpoint("after-publish", rows.length); // published, still in the outbox
    o.stats.relayQueries++;
    await o.pool.query(`delete from ${o.schema}.dgh_saga_outbox where id = any($1::bigint[])`, [rows.map((r) => r.id)]);
    return rows.length;
  };
  const loop = (async () => {
    while (relaying) {
      const n = await once().catch((e: Error) => {
        log(`relay: ${e.message}`);
        return 0;
      });
      if (!n) await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return async () => {
    relaying = false;
    await loop;
  };
}
