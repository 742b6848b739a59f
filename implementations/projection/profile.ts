import type { ConformanceCase } from "../../harness/run/contracts.js";

/**
 * What every projection that claims a convergent read model, each event counted once and monotonic reads must
 * survive, whatever cases it declares: its Kafka link cut (redelivery after the session), the read database
 * restarted under it, the read database slow, and a crash at each of its failpoints (the sweep: killed after
 * applying a batch and before its position is committed, and any step it declares).
 */
export function projectionProfile(): ConformanceCase[] {
  return [
    {
      name: "projector's Kafka link down 3 s",
      faults: [{ atS: 2, forS: 3, fault: { kind: "link-down", service: "kafka" } }],
    },
    {
      name: "read database (PostgreSQL) restarted",
      faults: [{ atS: 3, forS: 0, fault: { kind: "restart", target: "postgres" } }],
    },
    {
      name: "read database slow (100 ms)",
      faults: [
        {
          atS: 2,
          forS: 3,
          fault: { kind: "toxic", service: "postgres", toxic: { type: "latency", attributes: { latency: 100 } } },
        },
      ],
      tier: "full", // a slow batch is a late one; CI has the crash, the restart and the cut
    },
  ];
}
