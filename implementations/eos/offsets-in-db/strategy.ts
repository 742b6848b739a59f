import type { Strategy } from "../../../harness/run/contracts.js";
import { forBothClients, pipelineWorkers, startPipeline, pipelineOptions } from "../shared/start-pipeline.js";

const offsetsInDb: Strategy = {
  name: "offsets-in-db",
  description:
    "Transactional processor, and a sink that stores the output offsets in the same PostgreSQL transaction as its effects and resumes from them.",
  options: pipelineOptions,
  claims: { delivery: "exactly-once", effects: "exactly-once", ordering: "per-key" },
  workers: pipelineWorkers,
  quietMs: 5000, // a sink or processor recovering from a restart may pause a few seconds: late, not lost
  conformance: forBothClients([
    {
      name: "sink killed after its database commit",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "sink", failpoint: "after-apply" } }],
    },
    {
      name: "processor killed mid-transaction",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "processor", failpoint: "after-produce" } }],
      tier: "full", // the transactions strategy's processor, which CI crashes there with both clients
    },
  ]).concat(
    forBothClients(
      [
        {
          name: "PostgreSQL restarted under the sink",
          faults: [{ atS: 3, forS: 0, fault: { kind: "restart", target: "postgres" } }],
        },
      ],
      { secondInCi: false },
    ),
  ),
  start: (ctx) => startPipeline(ctx, { processor: "transactions", sink: "offsets-in-db" }),
};
export default offsetsInDb;
