import type { Strategy } from "../../../harness/run/contracts.js";
import { projectionClaims, projectionWorkers, startProjection } from "../shared/start-projection.js";

const blindIncrement: Strategy = {
  name: "blind-increment",
  description:
    "A control: adds every event it is given to its row, with no version check; offsets committed after each batch, so a batch redelivered after a crash counts twice.",
  claims: projectionClaims,
  control: { expectedAnomalies: ["duplicate-effect"] },
  workers: projectionWorkers(),
  conformance: [
    {
      name: "projector killed after applying a batch, before committing its offsets",
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "projector", failpoint: "after-apply" } }],
    },
  ],
  start: (ctx) => startProjection(ctx, { mode: "blind" }),
};
export default blindIncrement;
