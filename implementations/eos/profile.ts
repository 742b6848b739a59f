import type { ConformanceCase } from "../../harness/run/contracts.js";

/**
 * What every consume-transform-produce pipeline that claims exactly-once delivery must survive, whatever cases it
 * declares: a group that changes under it (a processor leaving in the middle of its work and coming back: two
 * rebalances, partitions handed over with transactions or offsets in flight), the quiet end of the load, and the
 * broker restarting. A crash at every failpoint it declares comes on top (harness/run/conformance-cases.ts).
 */
export function eosProfile(): ConformanceCase[] {
  return [
    {
      name: "a second processor leaves in the middle of its work, then rejoins",
      options: { processors: 2 },
      faults: [{ atS: 2, forS: 3, fault: { kind: "leave", target: "processor-2" } }],
    },
    {
      name: "quiet: 20 payments/s, no fault",
      workload: { rateOpsPerS: 20 },
      faults: [],
      tier: "full",
    },
    {
      name: "Kafka broker restarted",
      faults: [{ atS: 3, forS: 0, fault: { kind: "restart", target: "kafka" } }],
      tier: "full",
    },
  ];
}
