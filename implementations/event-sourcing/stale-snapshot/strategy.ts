import type { Strategy } from "../../../harness/run/contracts.js";
import { hot, startEsStrategy, workersOf, type EsStrategyShape, writerOptions } from "../shared/start-strategy.js";

const shape: EsStrategyShape = {
  optimistic: true,
  load: "snapshot",
  snapshotEvery: 5,
  serializer: "drops-withdrawals",
};

const strategy: Strategy = {
  name: "stale-snapshot",
  description:
    "Control: snapshots every N events through a serializer that silently drops the withdrawals count (version skew).",
  options: writerOptions(shape),
  claims: { state: "consistent" },
  control: { expectedAnomalies: ["stale-snapshot"] },
  workers: (o) => workersOf(shape, o),
  conformance: [{ name: "snapshots taken while writing", workload: hot, faults: [] }],
  start: (ctx) => startEsStrategy(ctx, shape),
};
export default strategy;
