import { resilientPool } from "../../../harness/util/pg-pool.js";
import pg from "pg";
import type { Completion, OpSpec, Strategy } from "../../../harness/run/contracts.js";
import { kafkaBrokers, pgConfig } from "../../../harness/env/environment.js";
import { commitOrderChange, schemaFor, topicFor, type OrderEvent } from "../shared/outbox-schema.js";
import { RelayProducer } from "../shared/kafka-producer.js";

/**
 * The control: commit the order, then send the event to Kafka — two writes, no outbox. When Kafka is unreachable
 * after the commit, the event is lost; with option order=send-first, a failed commit after the send is a phantom.
 */
const dualWrite: Strategy = {
  name: "dual-write",
  description: "Control: commits the order, then sends the event to Kafka directly (no outbox). Believes it is exactly-once.",
  claims: { delivery: "exactly-once", ordering: "per-key" },
  control: { expectedAnomalies: ["lost", "phantom"] },
  conformance: [
    { name: "Kafka unreachable after the commit: lost", faults: [{ atS: 2, forS: 3, fault: { kind: "link-down", service: "kafka" } }] },
    { name: "send first, PostgreSQL unreachable: phantom", options: { order: "send-first" }, faults: [{ atS: 2, forS: 3, fault: { kind: "link-down", service: "postgres" } }] },
  ],
  async start(ctx) {
    const pool = resilientPool({ ...pgConfig(ctx.env, "proxied"), max: ctx.workload.concurrency, connectionTimeoutMillis: 3000, query_timeout: 5000 });
    const producer = new RelayProducer(kafkaBrokers(ctx.env, "proxied"), `${ctx.runId}-dual-write`);
    await producer.get();
    const schema = schemaFor(ctx.runId), topic = topicFor(ctx.runId);
    const sendFirst = ctx.options.order === "send-first";
    const send = (ev: OrderEvent) => producer.send(topic, [{ key: ev.orderId, value: JSON.stringify(ev), headers: { id: ev.eventId } }]);
    return {
      async invoke(op: OpSpec): Promise<Completion> {
        let client: pg.PoolClient;
        try { client = await pool.connect(); } catch (e) { return { outcome: "fail", error: (e as Error).message }; }
        try {
          if (sendFirst) {
            // The version is not known before the commit: send with the next one we expect (what such code does).
            const { rows } = await client.query<{ v: number }>(`select coalesce((select version from ${schema}.orders where id = $1), 0) + 1 v`, [op.key]);
            await send({ eventId: op.id, orderId: op.key!, seq: rows[0]!.v, type: "OrderChanged", data: op.payload ?? "" });
          }
          const ev = await commitOrderChange(client, schema, { id: op.id, key: op.key!, data: op.payload ?? "" });
          if (!sendFirst) await send(ev);
          return { outcome: "ok", value: { seq: ev.seq } };
        } catch (e) {
          return { outcome: "info", error: (e as Error).message };
        } finally { client.release(); }
      },
      async close() { await producer.reset(); await pool.end(); },
    };
  },
};
export default dualWrite;
