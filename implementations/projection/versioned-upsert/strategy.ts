import type { Strategy } from "../../../harness/run/contracts.js";
import { projectionClaims, projectionWorkers, startProjection } from "../shared/start-projection.js";

const versionedUpsert: Strategy = {
  name: "versioned-upsert",
  description:
    "Each row carries the version of the last event applied; an older or repeated event is skipped, so a redelivered batch changes nothing. Offsets committed after each batch.",
  claims: projectionClaims,
  workers: projectionWorkers(),
  start: (ctx) => startProjection(ctx, { mode: "versioned" }),
};
export default versionedUpsert;
