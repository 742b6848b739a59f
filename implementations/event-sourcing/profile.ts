import type { ConformanceCase } from "../../harness/run/contracts.js";
import { hot } from "./shared/start-strategy.js";

/**
 * What every event-sourced store that claims consistent state must survive, whatever cases it declares: writers
 * colliding on few accounts while one of them is killed at an arbitrary moment (mid-append, mid-snapshot), and the
 * quiet end of the load. A crash at every failpoint it declares comes on top (harness/run/conformance-cases.ts).
 */
export function eventSourcingProfile(): ConformanceCase[] {
  return [
    {
      name: "a writer killed at an arbitrary moment while writers collide",
      workload: hot,
      faults: [{ atS: 2, forS: 2, fault: { kind: "kill", target: "writer-2" } }],
    },
    {
      name: "quiet: 10 commands/s, no fault",
      workload: { mode: "open", rateOpsPerS: 10 },
      faults: [],
      tier: "full",
    },
  ];
}
