import type pg from "pg";
import { failpoint, onStop, ready, serveOps, workerConfig } from "../../../harness/workers/worker-runtime.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { commitOrderChange, type OrderEvent } from "../shared/outbox-schema.js";
import { RelayProducer } from "../shared/kafka-producer.js";

/**
 * The dual-write order service, in its own process so it can die between its two writes: commit the order,
 * then send the event ("after-commit" between them). With order=send-first, the send comes first ("after-send").
 */
interface Config {
  pg: pg.ClientConfig;
  brokers: string[];
  schema: string;
  topic: string;
  sendFirst: boolean;
  poolSize: number;
}
const c = workerConfig<Config>();
const pool = resilientPool({ ...c.pg, max: c.poolSize, connectionTimeoutMillis: 3000, query_timeout: 5000 });
const producer = new RelayProducer(c.brokers, "dual-write");
const send = (ev: OrderEvent) =>
  producer.send(c.topic, [{ key: ev.orderId, value: JSON.stringify(ev), headers: { id: ev.eventId } }]);

serveOps(async (op) => {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    return { outcome: "fail", error: (e as Error).message };
  }
  try {
    if (c.sendFirst) {
      // The version is not known before the commit: send with the next one we expect (what such code does).
      const { rows } = await client.query<{ v: number }>(
        `select coalesce((select version from ${c.schema}.dgh_orders where id = $1), 0) + 1 v`,
        [op.key],
      );
      await send({ eventId: op.id, orderId: op.key!, seq: rows[0]!.v, type: "OrderChanged", data: op.payload ?? "" });
      failpoint("after-send");
    }
    const ev = await commitOrderChange(client, c.schema, { id: op.id, key: op.key!, data: op.payload ?? "" });
    failpoint("after-commit");
    if (!c.sendFirst) await send(ev);
    return { outcome: "ok", value: { seq: ev.seq } };
  } catch (e) {
    return { outcome: "info", error: (e as Error).message };
  } finally {
    client.release();
  }
});
onStop(async () => {
  await producer.reset();
  await pool.end();
});
await producer.get().catch(() => {});
ready();
