import type { Strategy } from "../../../harness/run/contracts.js";
import { hot, startEsStrategy, workersOf, type EsStrategyShape } from "../shared/start-strategy.js";

const shape: EsStrategyShape = { optimistic: true, load: "snapshot", snapshotEvery: 20, serializer: "exact" };

const strategy: Strategy = {
  name: "snapshot-every-n",
  description: "The writer snapshots an account when an append crosses a multiple of N events (option snapshotEvery, default 20); loads read the newest snapshot plus the tail.",
  claims: { state: "consistent" },
  workers: (o) => workersOf(shape, o),
  conformance: [
    { name: "writer killed between read and append", workload: hot, faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "writer", failpoint: "after-read" } }] },
    { name: "PostgreSQL slow (100 ms)", workload: hot, faults: [{ atS: 2, forS: 3, fault: { kind: "toxic", service: "postgres", toxic: { type: "latency", attributes: { latency: 100, jitter: 20 } } } }] },
    { name: "PostgreSQL restarted", workload: hot, faults: [{ atS: 3, forS: 0, fault: { kind: "restart", target: "postgres" } }] },
  ],
  start: (ctx) => startEsStrategy(ctx, shape),
};
export default strategy;
