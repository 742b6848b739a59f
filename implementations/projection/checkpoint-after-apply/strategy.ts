import type { Strategy } from "../../../harness/run/contracts.js";
import { projectionClaims, projectionWorkers, startProjection } from "../shared/start-projection.js";

const checkpointAfterApply: Strategy = {
  name: "checkpoint-after-apply",
  description:
    "A control: keeps its position in the read database, but writes it in a transaction of its own after the rows'; a crash between the two replays a batch onto rows that have it.",
  claims: projectionClaims,
  control: { expectedAnomalies: ["duplicate-effect"] },
  workers: projectionWorkers(),
  conformance: [
    {
      name: "projector killed after applying a batch, before writing its checkpoint",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "projector", failpoint: "after-apply" } }],
    },
  ],
  start: (ctx) => startProjection(ctx, { mode: "checkpoint-after" }),
};
export default checkpointAfterApply;
