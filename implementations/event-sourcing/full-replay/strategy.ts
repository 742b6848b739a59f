import type { Strategy } from "../../../harness/run/contracts.js";
import {
  startEsStrategy,
  postgresRestarted,
  writerFaultCases,
  workersOf,
  type EsStrategyShape,
  writerOptions,
} from "../shared/start-strategy.js";

const shape: EsStrategyShape = { optimistic: true, load: "full", snapshotEvery: 0, serializer: "exact" };

const strategy: Strategy = {
  name: "full-replay",
  description: "No snapshots: every load replays the whole stream; appends carry the expected version.",
  options: writerOptions(shape),
  claims: { state: "consistent" },
  workers: (o) => workersOf(shape, o),
  conformance: [...writerFaultCases, postgresRestarted({ inCi: false })],
  start: (ctx) => startEsStrategy(ctx, shape),
};
export default strategy;
