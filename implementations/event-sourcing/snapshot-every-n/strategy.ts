import type { Strategy } from "../../../harness/run/contracts.js";
import {
  startEsStrategy,
  postgresRestarted,
  writerFaultCases,
  workersOf,
  type EsStrategyShape,
  writerOptions,
} from "../shared/start-strategy.js";

const shape: EsStrategyShape = { optimistic: true, load: "snapshot", snapshotEvery: 20, serializer: "exact" };

const strategy: Strategy = {
  name: "snapshot-every-n",
  description:
    "The writer snapshots an account when an append crosses a multiple of N events (option snapshotEvery, default 20); loads read the newest snapshot plus the tail.",
  options: writerOptions(shape),
  claims: { state: "consistent" },
  workers: (o) => workersOf(shape, o),
  conformance: [...writerFaultCases, postgresRestarted({ inCi: false })],
  start: (ctx) => startEsStrategy(ctx, shape),
};
export default strategy;
