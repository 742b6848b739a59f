import type { Strategy } from "../../../harness/run/contracts.js";
import { projectionClaims, projectionWorkers, rebuildOptions, startProjection } from "../shared/start-projection.js";

const rebuildAndSwap: Strategy = {
  name: "rebuild-and-swap",
  description:
    "Versioned rows; during live traffic it rebuilds a new generation of the read model from the beginning of the stream while the old one serves, then swaps the view readers query.",
  claims: projectionClaims,
  options: rebuildOptions,
  workers: projectionWorkers("before-swap"),
  conformance: [
    {
      // The rebuild (5 s after the projector starts, ~4 s into the run) races a slow read database and live traffic.
      name: "rebuild during live traffic, the read database slow (100 ms)",
      faults: [
        {
          atS: 2,
          forS: 4,
          fault: { kind: "toxic", service: "postgres", toxic: { type: "latency", attributes: { latency: 100 } } },
        },
      ],
      expectFigures: { swaps: 1 },
    },
  ],
  start: (ctx) =>
    startProjection(ctx, { mode: "versioned", rebuild: { atS: Number(ctx.options.rebuildAtS ?? 5), how: "swap" } }),
};
export default rebuildAndSwap;
