import type { Strategy } from "../../../harness/run/contracts.js";
import { hot, startEsStrategy, workersOf, writerOptions, type EsStrategyShape } from "../shared/start-strategy.js";

const shape: EsStrategyShape = {
  optimistic: true,
  load: "full",
  snapshotEvery: 0,
  serializer: "exact",
  cachesState: true,
};

const strategy: Strategy = {
  name: "stale-cache",
  description:
    "Control: writers cache accounts in memory and keep a stale copy after a version conflict, so every later append to that account conflicts and gives up.",
  options: writerOptions(shape),
  claims: { state: "consistent" },
  control: { expectedAnomalies: ["no-progress"] },
  workers: (o) => workersOf(shape, o),
  conformance: [
    { name: "hot accounts, concurrent writers: each writer's first conflict per account", workload: hot, faults: [] },
  ],
  start: (ctx) => startEsStrategy(ctx, shape),
};
export default strategy;
