import {
  failpoint,
  log,
  onStop,
  ready,
  workerConfig,
  workerName,
  workerStats,
} from "../../../harness/workers/worker-runtime.js";
import { sleep, withTimeout } from "../../../harness/util/wait.js";
import { kafkaClient, type ClientName, type Producer } from "./kafka-client.js";
import { approve, type PaymentRequest } from "./pipeline.js";

/**
 * The consume-transform-produce processor: payment-requests → approve → payments-approved.
 *
 * mode "transactions": one transactional producer per input partition, transactional id `<group>-p<partition>`.
 * Each chunk of up to `txRecords` records is one transaction: the approvals and the input offsets (sendOffsets)
 * commit together or not at all. Taking over a partition starts its producer first (initTransactions fences any
 * older instance with that id and aborts its open transaction) and only then reads the committed offset, so a
 * zombie can neither commit afterwards nor have committed unseen.
 *
 * mode "at-least-once": send the approvals, then commit the offsets. A crash in between ("after-produce")
 * sends them again.
 *
 * mode "raw" (benchmarks only): send, never commit; the floor the other two are measured against.
 */
interface Config {
  client: ClientName;
  brokers: string[];
  input: string;
  output: string;
  groupId: string;
  mode: "transactions" | "at-least-once" | "raw";
  txRecords: number;
  transactionTimeoutMs: number;
}
const c = workerConfig<Config>();
const tx = c.mode === "transactions";
const stats = workerStats({
  consumed: 0,
  produced: 0,
  transactions: 0,
  aborted: 0,
  fenced: 0,
  takeovers: 0,
  errors: 0,
  consumerRebuilds: 0,
});
const client = kafkaClient(c.client, c.brokers, `${c.groupId}-${workerName}`);
const consumer = client.consumer({
  groupId: c.groupId,
  // Behind: an assigned input partition ends past where this processor stands (its lane's next offset, else the
  // group's committed one; the input has no transaction markers). Not the stable read a take-over needs: after a
  // broker restart the group's offsets stayed "unstable" for the whole quiesce bound while the consumer sat idle.
  behind: async (partitions) => {
    const [ends, committed] = await Promise.all([
      client.ends(c.input, false),
      client.committed(c.groupId, c.input, { stable: false }),
    ]);
    const at = (p: number) => lanes.get(p)?.next ?? BigInt(committed.get(p) ?? "0");
    return partitions.some((p) => (ends.get(p) ?? 0n) > at(p));
  },
  onRebuild: () => stats.consumerRebuilds++,
});

/** Per input partition: its producer (transactions) and the next offset to process, known after a take-over. */
interface Lane {
  producer?: Producer;
  next?: bigint;
}
const lanes = new Map<number, Lane>();
const plain = tx ? undefined : client.producer({});
await plain?.connect();

/**
 * A step of a transaction that has not answered in this long is given up: after a broker restart a librdkafka
 * transactional send or commit could hang until its transaction timed out, blocking every partition of the
 * consumer behind it (and the group's offsets stayed "unstable" meanwhile). The lane's next producer fences the
 * hung one with the same transactional id, which aborts its transaction.
 */
const stepTimeoutMs = 10_000;
const step = <T>(p: Promise<T>, what: string) => withTimeout(p, stepTimeoutMs, what);

async function takeOver(partition: number): Promise<Lane> {
  const lane: Lane = {};
  if (tx) {
    lane.producer = client.producer({
      transactionalId: `${c.groupId}-p${partition}`,
      transactionTimeoutMs: c.transactionTimeoutMs,
    });
    // initTransactions: fences the previous holder of this id, aborts its open transaction
    await withTimeout(lane.producer.connect(), 3 * stepTimeoutMs, "initTransactions");
  }
  const committed = BigInt((await client.committed(c.groupId, c.input)).get(partition) ?? "-1");
  lane.next = committed < 0n ? 0n : committed;
  stats.takeovers++;
  lanes.set(partition, lane);
  return lane;
}

/** Forgets a partition's state after a failure: the next batch takes it over again from the committed offset. */
async function drop(partition: number): Promise<void> {
  const lane = lanes.get(partition);
  lanes.delete(partition);
  await step(lane?.producer?.disconnect() ?? Promise.resolve(), "producer disconnect").catch(() => {});
}

/** After a failure: forget the partition, read it again from `offset`, and pause so a down broker is not hammered. */
async function startOver(partition: number, offset: string): Promise<void> {
  await drop(partition);
  consumer.seek({ topic: c.input, partition, offset });
  await sleep(200);
}

await consumer.connect();
await consumer.subscribe(c.input);
await consumer.run(async ({ batch, resolveOffset, isRunning, isStale }) => {
  const { partition } = batch;
  let lane = lanes.get(partition);
  try {
    lane ??= await takeOver(partition);
  } catch (e) {
    stats.errors++;
    log(`take-over of partition ${partition} failed: ${(e as Error).message}`);
    await startOver(partition, batch.messages[0]!.offset);
    return;
  }
  const todo = batch.messages.filter((m) => BigInt(m.offset) >= lane.next!);
  if (!todo.length) {
    resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
    return;
  }
  if (BigInt(todo[0]!.offset) !== lane.next) {
    consumer.seek({ topic: c.input, partition, offset: lane.next!.toString() });
    return;
  }
  for (let i = 0; i < todo.length; i += c.txRecords) {
    if (!isRunning() || isStale()) return;
    const chunk = todo.slice(i, i + c.txRecords);
    const next = (BigInt(chunk[chunk.length - 1]!.offset) + 1n).toString();
    const messages = chunk.map((m) => ({
      key: m.key?.toString() ?? null,
      value: JSON.stringify(approve(JSON.parse(String(m.value)) as PaymentRequest, workerName, m.offset)),
    }));
    stats.consumed += chunk.length;
    try {
      if (tx) {
        const t = client.offsetsOf(await step(lane.producer!.transaction(), "begin transaction"), consumer, c.groupId);
        try {
          await step(t.send({ topic: c.output, messages }), "transactional send");
          failpoint("after-produce", chunk.length);
          await step(
            t.sendOffsets({ topics: [{ topic: c.input, partitions: [{ partition, offset: next }] }] }),
            "sendOffsets",
          );
          await step(t.commit(), "commit");
          stats.transactions++;
        } catch (e) {
          await step(t.abort(), "abort").catch(() => {});
          stats.aborted++;
          throw e;
        }
      } else {
        await plain!.send({ topic: c.output, messages }); // acks=all: the default of both clients for an idempotent producer
        failpoint("after-produce", chunk.length);
        if (c.mode === "at-least-once") await consumer.commitOffsets([{ topic: c.input, partition, offset: next }]);
      }
      stats.produced += chunk.length;
      lane.next = BigInt(next);
      resolveOffset(chunk[chunk.length - 1]!.offset);
    } catch (e) {
      const message = (e as Error).message;
      stats.errors++;
      // Refused because a new holder took the transactional id over: fenced (an older epoch), or a concurrent
      // operation on the same transaction (the coordinator still aborting it for the new holder).
      if (/fenc|epoch|concurrent/i.test(message)) stats.fenced++;
      log(
        `partition ${partition} at ${chunk[0]!.offset}: ${message}; taking the partition over again from its committed offset`,
      );
      await startOver(partition, chunk[0]!.offset);
      return;
    }
  }
});
onStop(async () => {
  await consumer.disconnect();
  for (const p of [...lanes.keys()]) await drop(p);
  await plain?.disconnect();
  await client.close();
});
ready();
log(
  `processor (${c.client}, ${c.mode}, ${c.txRecords} records per ${tx ? "transaction" : "commit"}) in group ${c.groupId}`,
);
