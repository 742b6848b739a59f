import type { Strategy } from "../../../harness/run/contracts.js";
import { projectionClaims, projectionWorkers, startProjection } from "../shared/start-projection.js";

const checkpointOnly: Strategy = {
  name: "checkpoint-only",
  description:
    "A control: checkpoint-in-read-db without the versions; its position in the rows' transaction skips a batch Kafka delivers again, but an event the relay published twice sits at two offsets and counts twice.",
  claims: projectionClaims,
  control: { expectedAnomalies: ["duplicate-effect"] },
  workers: projectionWorkers(),
  conformance: [
    {
      name: "write side's relay killed after publishing, before marking (the log holds those events twice)",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "relay", failpoint: "after-publish" } }],
    },
  ],
  start: (ctx) => startProjection(ctx, { mode: "checkpoint-only" }),
};
export default checkpointOnly;
