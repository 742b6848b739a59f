import type { Strategy } from "../../../harness/run/contracts.js";
import { projectionClaims, projectionWorkers, startProjection } from "../shared/start-projection.js";

const checkpointInReadDb: Strategy = {
  name: "checkpoint-in-read-db",
  description:
    "The stream position per partition is written in the same transaction as the read rows; the projector resumes from it and skips what it says is done.",
  claims: projectionClaims,
  workers: projectionWorkers(),
  start: (ctx) => startProjection(ctx, { mode: "checkpoint-in-tx" }),
};
export default checkpointInReadDb;
