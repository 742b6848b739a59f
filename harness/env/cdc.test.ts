import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { Kafka, logLevel } from "kafkajs";
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from "pg-logical-replication";
import { NativeEnvironment } from "./native/native-environment.js";
import { kafkaBrokers, pgConfig } from "./environment.js";
import { ConnectClient } from "./connect-client.js";
import { collect } from "../../suites/support/kafka-helpers.js";
import { waitFor } from "../util/wait.js";

// Change data capture on the real stack: a pgoutput slot, and Debezium's Outbox Event Router.
let env: NativeEnvironment;
let db: pg.Client;
beforeAll(async () => {
  env = await NativeEnvironment.start();
  db = new pg.Client(pgConfig(env));
  await db.connect();
  await db.query(`create table outbox (id uuid primary key default gen_random_uuid(), aggregatetype text not null,
    aggregateid text not null, type text not null, payload jsonb)`);
  await db.query("create publication outbox_pub for table outbox");
});
afterAll(async () => {
  await db?.end();
  await env?.teardown();
});

describe("change data capture", () => {
  it("a pgoutput logical replication slot sees an insert", async () => {
    await db.query("select pg_create_logical_replication_slot('t_slot', 'pgoutput')");
    const service = new LogicalReplicationService(pgConfig(env), { acknowledge: { auto: false, timeoutSeconds: 10 } });
    const inserted: string[] = [];
    service.on("data", (_lsn: string, msg: Pgoutput.Message) => {
      if (msg.tag === "insert") inserted.push(String(msg.new.aggregateid));
    });
    service.on("error", () => {});
    void service
      .subscribe(new PgoutputPlugin({ protoVersion: 1, publicationNames: ["outbox_pub"] }), "t_slot")
      .catch(() => {});
    await waitFor(
      "slot active",
      async () => (await db.query("select active from pg_replication_slots where slot_name='t_slot'")).rows[0]?.active,
    );
    await db.query(
      "insert into outbox (aggregatetype, aggregateid, type, payload) values ('order', 'o-slot', 'OrderCreated', '{}')",
    );
    await collect(() => inserted, 1);
    await service.stop();
    expect(inserted).toEqual(["o-slot"]);
  });

  it("Debezium's outbox connector routes an outbox row to its topic, keyed by aggregate", async () => {
    const connect = new ConnectClient(`http://127.0.0.1:${(await env.ensureConnect()).direct.port}`);
    const pgEnd = env.endpoints.postgres!.direct;
    await connect.putConnector("outbox", {
      "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
      "tasks.max": "1",
      "database.hostname": pgEnd.host,
      "database.port": String(pgEnd.port),
      "database.user": "postgres",
      "database.password": "postgres",
      "database.dbname": "dgh",
      "topic.prefix": "dgh",
      "plugin.name": "pgoutput",
      "slot.name": "dbz_slot",
      "publication.name": "outbox_pub",
      "publication.autocreate.mode": "disabled",
      "table.include.list": "public.outbox",
      "snapshot.mode": "no_data",
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "value.converter": "org.apache.kafka.connect.storage.StringConverter",
      transforms: "outbox",
      "transforms.outbox.type": "io.debezium.transforms.outbox.EventRouter",
    });
    await connect.waitRunning("outbox");
    await waitFor(
      "debezium slot active",
      async () =>
        (await db.query("select active from pg_replication_slots where slot_name='dbz_slot'")).rows[0]?.active,
    );
    await db.query(
      `insert into outbox (aggregatetype, aggregateid, type, payload) values ('order', 'o-dbz', 'OrderCreated', '{"orderId":"o-dbz"}')`,
    );

    const kafka = new Kafka({ brokers: kafkaBrokers(env), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await waitFor("topic outbox.event.order", async () => (await admin.listTopics()).includes("outbox.event.order"), {
      timeoutMs: 30_000,
    });
    await admin.disconnect();
    const got: { key: string; value: string }[] = [];
    const consumer = kafka.consumer({ groupId: "cdc-test" });
    await consumer.connect();
    await consumer.subscribe({ topic: "outbox.event.order", fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        got.push({ key: String(message.key), value: String(message.value) });
      },
    });
    await collect(() => got, 1, 30_000);
    await consumer.disconnect();
    expect(got).toHaveLength(1);
    expect(got[0]!.key).toBe("o-dbz");
    expect(JSON.parse(got[0]!.value)).toEqual({ orderId: "o-dbz" });
  });
});
