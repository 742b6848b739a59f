import type { Strategy } from "../../../harness/run/contracts.js";
import { projectionClaims, projectionWorkers, startProjection } from "../shared/start-projection.js";

const parallelUnordered: Strategy = {
  name: "parallel-unordered",
  description:
    "A control: hands a batch's events to a pool, each read and written back in its own transaction; two events of one customer in flight at once overwrite each other, and a row can settle on an older event.",
  claims: projectionClaims,
  control: { expectedAnomalies: ["diverged", "non-monotonic"] },
  workers: projectionWorkers(),
  conformance: [
    {
      // Five customers at 150 commands/s: a batch holds several events of one customer, so they race.
      name: "hot customers (5), no fault",
      workload: { keyCount: 5 },
      faults: [],
    },
  ],
  start: (ctx) => startProjection(ctx, { mode: "parallel" }),
};
export default parallelUnordered;
