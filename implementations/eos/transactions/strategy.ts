import type { Strategy } from "../../../harness/run/contracts.js";
import { forBothClients, pipelineWorkers, startPipeline, pipelineOptions } from "../shared/start-pipeline.js";

const crashMidTransaction = {
  atS: 2,
  forS: 2,
  fault: { kind: "crash-at", target: "processor", failpoint: "after-produce" },
} as const;

const transactions: Strategy = {
  name: "transactions",
  description:
    "Transactional consume-transform-produce: approvals and input offsets commit in one Kafka transaction; read_committed downstream.",
  options: pipelineOptions,
  claims: { delivery: "exactly-once", ordering: "per-key" },
  workers: pipelineWorkers,
  quietMs: 5000, // a sink or processor recovering from a restart may pause a few seconds: late, not lost
  conformance: forBothClients([
    { name: "processor killed mid-transaction", faults: [crashMidTransaction] },
    // The zombie: stopped inside a transaction (after its sends, before its commit) past its session (6 s) and
    // transaction (5 s) timeouts; a second processor takes its partitions over, fencing their transactional ids.
    // When it wakes up it goes on to commit, and must be refused (fenced ≥ 1 proves the case tested that).
    {
      name: "zombie: processor stopped mid-transaction past its timeouts, then resumed",
      options: { processors: 2, transactionTimeoutMs: 5000 },
      durationS: 13,
      expectFigures: { "processor.fenced": 1 },
      faults: [{ atS: 2, forS: 9, fault: { kind: "pause-at", target: "processor", failpoint: "after-produce" } }],
    },
    { name: "Kafka broker restarted", faults: [{ atS: 3, forS: 0, fault: { kind: "restart", target: "kafka" } }] },
  ]).concat(
    forBothClients(
      [
        {
          name: "processor's Kafka link slow (200±50 ms)",
          tier: "full", // late, not wrong: CI has the resets, the broker restart and the zombie
          faults: [
            {
              atS: 2,
              forS: 3,
              fault: {
                kind: "toxic",
                service: "kafka",
                toxic: { type: "latency", attributes: { latency: 200, jitter: 50 } },
              },
            },
          ],
        },
        {
          name: "processor's Kafka connections reset",
          faults: [
            {
              atS: 2,
              forS: 2,
              fault: { kind: "toxic", service: "kafka", toxic: { type: "reset_peer", attributes: { timeout: 0 } } },
            },
          ],
        },
        // Exactly-once inside Kafka says nothing about the database: this sink commits its offsets after its
        // effects, so it applies a batch twice here. Reported (duplicate-effect), not a broken claim.
        {
          name: "sink killed after its database commit, before its offset commit",
          faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "sink", failpoint: "after-apply" } }],
        },
      ],
      { secondInCi: false },
    ),
  ),
  start: (ctx) => startPipeline(ctx, { processor: "transactions", sink: "kafka-offsets" }),
};
export default transactions;
