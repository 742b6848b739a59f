import type { Strategy } from "../../../harness/run/contracts.js";
import { hot, startEsStrategy, workersOf, type EsStrategyShape, writerOptions } from "../shared/start-strategy.js";

const shape: EsStrategyShape = { optimistic: false, load: "full", snapshotEvery: 0, serializer: "exact" };

const strategy: Strategy = {
  name: "no-concurrency-check",
  description:
    "Control: appends at the version it read, with no unique (aggregate, version): concurrent withdrawals both land.",
  options: writerOptions(shape),
  claims: { state: "consistent" },
  control: { expectedAnomalies: ["invariant-violation", "lost-update"] },
  workers: (o) => workersOf(shape, o),
  conformance: [{ name: "hot accounts, concurrent writers", workload: hot, faults: [] }],
  start: (ctx) => startEsStrategy(ctx, shape),
};
export default strategy;
