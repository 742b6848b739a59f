import type pg from "pg";
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from "pg-logical-replication";
import { failpoint, log, onStop, ready, workerConfig, workerStats } from "../../../harness/workers/worker-runtime.js";
import { RelayProducer } from "../shared/kafka-producer.js";
import { sleep } from "../../../harness/util/wait.js";

/**
 * CDC relay on a pgoutput logical replication slot: collect the outbox inserts of committed transactions,
 * publish them, and only then confirm the commit's LSN to PostgreSQL. A crash before the confirmation makes
 * PostgreSQL send those transactions again: at-least-once, in commit order.
 *
 * Trap (pg-logical-replication 2.5): with acknowledge.auto=false but timeoutSeconds>0 the library still
 * confirms the last *received* LSN every timeoutSeconds — past events not yet published. We set 0 and answer
 * the server's keepalives ourselves with the last *published* LSN.
 */
interface Config {
  pg: pg.ClientConfig;
  brokers: string[];
  slot: string;
  publication: string;
  table: string;
  topic: string;
  batchSize: number;
}
const c = workerConfig<Config>();
const stats = workerStats({ published: 0, sends: 0, transactions: 0, reconnects: 0, errors: 0 });
const producer = new RelayProducer(c.brokers, "cdc-relay");

type Row = { key: string; value: string; headers: Record<string, string> };
let pending: { rows: Row[]; lsn: string }[] = []; // committed transactions not yet published, in commit order
let txRows: Row[] = [];
let service: LogicalReplicationService | undefined;
let confirmed: string | undefined;
let running = true;
let flushing = false;
let wake: () => void = () => {};
const committed = () =>
  new Promise<void>((r) => {
    wake = r;
  }); // resolves at the next commit (no busy polling)

async function flush(): Promise<void> {
  if (flushing || !pending.length || !service) return;
  flushing = true;
  const svc = service;
  try {
    const batch = pending.slice(0, c.batchSize);
    const rows = batch.flatMap((t) => t.rows);
    if (rows.length) {
      await producer.send(c.topic, rows);
      stats.sends++;
    }
    if (rows.length) failpoint("after-publish", rows.length); // a crash with nothing sent tests nothing
    const lsn = batch[batch.length - 1]!.lsn;
    if (svc === service) {
      await svc.acknowledge(lsn);
      confirmed = lsn;
      pending = pending.slice(batch.length);
    }
    if (rows.length) failpoint("after-ack", rows.length);
    stats.published += rows.length;
  } catch (e) {
    stats.errors++;
    log(`publish failed, will retry: ${(e as Error).message}`);
    await sleep(200);
  } finally {
    flushing = false;
  }
}

function subscribe(): void {
  // A fresh service each time: the old one would restart from the last *received* LSN and skip unpublished data.
  const svc = new LogicalReplicationService({ ...c.pg, connectionTimeoutMillis: 3000 } as pg.ClientConfig, {
    acknowledge: { auto: false, timeoutSeconds: 0 },
  });
  service = svc;
  pending = [];
  txRows = []; // PostgreSQL resends everything after the confirmed LSN
  svc.on("data", (lsn: string, msg: Pgoutput.Message) => {
    if (msg.tag === "insert" && msg.relation.name === c.table) {
      const r = msg.new as { event_id: string; aggregateid: string; payload: unknown };
      txRows.push({
        key: r.aggregateid,
        value: typeof r.payload === "string" ? r.payload : JSON.stringify(r.payload),
        headers: { id: r.event_id },
      });
    } else if (msg.tag === "commit") {
      stats.transactions++;
      pending.push({ rows: txRows, lsn });
      txRows = [];
      wake();
    }
  });
  svc.on("heartbeat", (lsn: string, _ts: number, shouldRespond: boolean) => {
    if (svc !== service) return;
    // Everything received so far is published: confirm the server's position (it moves on its own with WAL
    // that carries no outbox rows, and a shutting-down server waits for this). Otherwise answer with what is published.
    if (!pending.length && !txRows.length && !flushing) {
      confirmed = lsn;
      void svc.acknowledge(lsn);
    } else if (shouldRespond && confirmed) void svc.acknowledge(confirmed);
  });
  svc.on("error", (e: Error) => {
    if (svc !== service || !running) return;
    stats.reconnects++;
    log(`replication stream failed, resubscribing: ${e.message}`);
    service = undefined;
    void svc.stop().catch(() => {});
    setTimeout(() => {
      if (running) subscribe();
    }, 500);
  });
  svc.subscribe(new PgoutputPlugin({ protoVersion: 1, publicationNames: [c.publication] }), c.slot).catch(() => {});
}

onStop(async () => {
  running = false;
  await service?.stop();
  await producer.reset();
});
await producer.get().catch(() => {});
subscribe();
ready();
log(`cdc relay on slot ${c.slot}, batches of up to ${c.batchSize} transactions`);
while (running) {
  if (pending.length) await flush();
  else await Promise.race([committed(), sleep(1000)]);
}
