import type { Strategy } from "../../../harness/run/contracts.js";
import { projectionClaims, projectionWorkers, rebuildOptions, startProjection } from "../shared/start-projection.js";

const rebuildInPlace: Strategy = {
  name: "rebuild-in-place",
  description:
    "A control: rebuilds by emptying the live read model and replaying the stream into it; its readers see their rows vanish and come back older until the replay catches up.",
  claims: projectionClaims,
  control: { expectedAnomalies: ["non-monotonic"] },
  options: rebuildOptions,
  workers: projectionWorkers(),
  conformance: [{ name: "rebuild during live traffic, no fault", faults: [] }],
  start: (ctx) =>
    // One event per transaction, as a handler per event does, so a replay takes as long as readers need to meet it:
    // folding whole batches, it once replayed ~750 events between two reads of the probe (1 of 20 stability runs).
    startProjection(ctx, { mode: "per-event", rebuild: { atS: Number(ctx.options.rebuildAtS ?? 5), how: "in-place" } }),
};
export default rebuildInPlace;
