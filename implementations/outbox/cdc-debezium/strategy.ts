import type { Strategy } from "../../../harness/run/contracts.js";
import { endpoint, pgConfig } from "../../../harness/env/environment.js";
import { ConnectClient } from "../../../harness/env/connect-client.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { waitFor } from "../../../harness/util/wait.js";
import { outboxOrderService } from "../shared/order-service.js";
import { schemaFor } from "../shared/outbox-schema.js";
import { slotLag } from "../shared/outbox-stats.js";

/**
 * Kafka Connect + Debezium's PostgreSQL connector with the Outbox Event Router: the outbox table's inserts are
 * streamed from a pgoutput slot and routed to the topic named in `aggregatetype`, keyed by the order id.
 */
const cdcDebezium: Strategy = {
  name: "cdc-debezium",
  description: "Kafka Connect + Debezium PostgreSQL connector (pgoutput) with the Outbox Event Router.",
  options: {
    pollIntervalMs: { type: "integer", min: 1, max: 60_000, default: 500, description: "Debezium's poll.interval.ms" },
  },
  claims: { delivery: "at-least-once", ordering: "per-key" },
  needs: ["connect"],
  // A restarted worker rejoins its group and restarts the task before streaming again: seconds of silence.
  quietMs: 10_000,
  conformance: [
    { name: "Connect worker killed", faults: [{ atS: 2, forS: 2, fault: { kind: "kill", target: "connect" } }] },
    {
      name: "Kafka unreachable from Connect",
      faults: [{ atS: 2, forS: 3, fault: { kind: "link-down", service: "kafka" } }],
    },
  ],
  async start(ctx) {
    const svc = outboxOrderService(ctx);
    const schema = schemaFor(ctx.runId),
      slot = `${ctx.runId}_dbz`,
      publication = `${ctx.runId}_dbzpub`,
      name = `${ctx.runId}-outbox`;
    const admin = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 1 });
    await admin.query(`create publication ${publication} for table ${schema}.dgh_outbox`);
    const connectUrl = (() => {
      const e = endpoint(ctx.env, "connect");
      return `http://${e.host}:${e.port}`;
    })();
    const connect = new ConnectClient(connectUrl);
    const pgEnd = endpoint(ctx.env, "postgres", "proxied"); // postgres faults reach Debezium too
    await connect.putConnector(name, {
      "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
      "tasks.max": "1",
      "database.hostname": pgEnd.host,
      "database.port": String(pgEnd.port),
      "database.user": "postgres",
      "database.password": "postgres",
      "database.dbname": pgConfig(ctx.env).database,
      "topic.prefix": ctx.runId,
      "plugin.name": "pgoutput",
      "slot.name": slot,
      "publication.name": publication,
      "publication.autocreate.mode": "disabled",
      "table.include.list": `${schema}.dgh_outbox`,
      "snapshot.mode": "no_data",
      "tombstones.on.delete": "false",
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "value.converter": "org.apache.kafka.connect.storage.StringConverter",
      "poll.interval.ms": String(ctx.options.pollIntervalMs ?? 500),
      transforms: "outbox",
      "transforms.outbox.type": "io.debezium.transforms.outbox.EventRouter",
      "transforms.outbox.table.field.event.id": "event_id",
      "transforms.outbox.table.field.event.key": "aggregateid",
      "transforms.outbox.table.field.event.payload": "payload",
      "transforms.outbox.route.by.field": "aggregatetype",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Debezium's own placeholder, filled in by Connect
      "transforms.outbox.route.topic.replacement": "${routedByValue}",
      "topic.creation.default.replication.factor": "1",
      "topic.creation.default.partitions": "1",
    });
    await connect.waitRunning(name);
    // The connector creates its slot when its task starts; rows written before that would be missed (no_data).
    await waitFor(
      "the Debezium slot to be active",
      async () =>
        (await admin.query("select active from pg_replication_slots where slot_name = $1", [slot])).rows[0]?.active,
      { timeoutMs: 60_000 },
    );
    return {
      invoke: (op) => svc.invoke(op),
      async stats() {
        const st = await connect.status(name);
        return {
          slotLagBytes: Math.max(0, await slotLag(admin, slot)),
          taskRunning: st.tasks?.[0]?.state === "RUNNING" ? 1 : 0,
        };
      },
      async close() {
        await connect.deleteConnector(name).catch(() => {});
        await svc.close();
        for (let i = 0; i < 40; i++) {
          try {
            await admin.query("select pg_drop_replication_slot($1)", [slot]);
            break;
          } catch {
            await new Promise((r) => setTimeout(r, 250));
          }
        }
        await admin.end();
      },
    };
  },
};
export default cdcDebezium;
