import type { Strategy } from "../../../harness/run/contracts.js";
import { forBothClients, pipelineWorkers, startPipeline, pipelineOptions } from "../shared/start-pipeline.js";

const atLeastOnce: Strategy = {
  name: "at-least-once",
  description:
    "Control: consume, produce, then commit the offsets (and a sink that commits after its effects); believes it is exactly-once.",
  options: pipelineOptions,
  claims: { delivery: "exactly-once", effects: "exactly-once" },
  control: { expectedAnomalies: ["duplicate-delivery", "duplicate-effect"] },
  workers: pipelineWorkers,
  quietMs: 5000, // a sink or processor recovering from a restart may pause a few seconds: late, not lost
  conformance: forBothClients(
    [
      {
        name: "processor killed after producing, before its offset commit",
        faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "processor", failpoint: "after-produce" } }],
      },
    ],
    // The flaw is the strategy's, whichever client: CI shows it once, the full profile with both.
    { secondInCi: false },
  ),
  start: (ctx) => startPipeline(ctx, { processor: "at-least-once", sink: "kafka-offsets" }),
};
export default atLeastOnce;
