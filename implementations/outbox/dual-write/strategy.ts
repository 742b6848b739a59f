import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Strategy } from "../../../harness/run/contracts.js";
import { kafkaBrokers, pgConfig } from "../../../harness/env/environment.js";
import { ClientPool } from "../../../harness/workers/client-pool.js";
import { schemaFor, topicFor } from "../shared/outbox-schema.js";

/**
 * The control: commit the order, then send the event to Kafka — two writes, no outbox. When Kafka is unreachable
 * after the commit, or the service dies between the two, the event is lost; with option order=send-first, a failed
 * commit after the send is a phantom.
 */
const dualWrite: Strategy = {
  name: "dual-write",
  description:
    "Control: commits the order, then sends the event to Kafka directly (no outbox). Believes it is exactly-once.",
  options: {
    order: {
      type: "string",
      values: ["commit-first", "send-first"],
      default: "commit-first",
      description: "commit the order then send the event, or the other way round",
    },
  },
  claims: { delivery: "exactly-once", ordering: "per-key" },
  control: { expectedAnomalies: ["lost", "phantom"] },
  workers: () => ({ "order-service": ["after-commit", "after-send"] }),
  conformance: [
    {
      name: "Kafka unreachable after the commit: lost",
      expectAnomalies: ["lost"],
      faults: [{ atS: 2, forS: 3, fault: { kind: "link-down", service: "kafka" } }],
    },
    {
      name: "order service killed between commit and send: lost",
      expectAnomalies: ["lost"],
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "order-service", failpoint: "after-commit" } }],
    },
    // A PostgreSQL outage alone rarely lands between the send and the commit of an op (the read before the send
    // fails first); a crash at that exact point always does.
    {
      name: "send first, order service killed between send and commit: phantom",
      expectAnomalies: ["phantom"],
      options: { order: "send-first" },
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "order-service", failpoint: "after-send" } }],
    },
  ],
  async start(ctx) {
    const service = await ctx.spawnWorker({
      name: "order-service",
      module: path.join(path.dirname(fileURLToPath(import.meta.url)), "order-service.ts"),
      config: {
        pg: pgConfig(ctx.env, "proxied"),
        brokers: kafkaBrokers(ctx.env, "proxied"),
        schema: schemaFor(ctx.runId),
        topic: topicFor(ctx.runId),
        sendFirst: ctx.options.order === "send-first",
        poolSize: ctx.workload.concurrency,
      },
    });
    const clients = new ClientPool([service]);
    return { invoke: (op) => clients.invoke(op), close: async () => {} };
  },
};
export default dualWrite;
