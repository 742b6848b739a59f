import type { Strategy } from "../../../harness/run/contracts.js";
import { forBothClients, pipelineWorkers, startPipeline, pipelineOptions } from "../shared/start-pipeline.js";

const readUncommitted: Strategy = {
  name: "read-uncommitted",
  description:
    "Control: the transactional processor, read downstream with read_uncommitted; believes it is exactly-once.",
  options: pipelineOptions,
  claims: { delivery: "exactly-once" },
  control: { expectedAnomalies: ["aborted-read"] },
  defaults: { reader: "read_uncommitted" },
  workers: pipelineWorkers,
  quietMs: 5000, // a sink or processor recovering from a restart may pause a few seconds: late, not lost
  conformance: forBothClients(
    [
      {
        name: "processor killed mid-transaction",
        faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "processor", failpoint: "after-produce" } }],
      },
    ],
    // The flaw is the strategy's, whichever client: CI shows it once, the full profile with both.
    { secondInCi: false },
  ),
  start: (ctx) => startPipeline(ctx, { processor: "transactions", sink: "kafka-offsets" }),
};
export default readUncommitted;
