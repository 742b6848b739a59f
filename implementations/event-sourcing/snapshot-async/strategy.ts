import type { Strategy } from "../../../harness/run/contracts.js";
import {
  hot,
  startEsStrategy,
  postgresRestarted,
  writerFaultCases,
  workersOf,
  type EsStrategyShape,
  writerOptions,
} from "../shared/start-strategy.js";

const shape: EsStrategyShape = {
  optimistic: true,
  load: "snapshot",
  snapshotEvery: 0,
  serializer: "exact",
  asyncSnapshotEvery: 10,
};

const strategy: Strategy = {
  name: "snapshot-async",
  description:
    "A background process snapshots accounts N events past their last snapshot (lagging); loads use the newest snapshot available plus the tail.",
  options: writerOptions(shape),
  claims: { state: "consistent" },
  workers: (o) => workersOf(shape, o),
  conformance: [
    ...writerFaultCases,
    postgresRestarted({ inCi: true }),
    {
      name: "snapshotter killed between snapshots",
      workload: hot,
      faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "snapshotter", failpoint: "between-snapshots" } }],
    },
  ],
  start: (ctx) => startEsStrategy(ctx, shape),
};
export default strategy;
