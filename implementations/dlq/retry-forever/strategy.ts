import type { Strategy } from "../../../harness/run/contracts.js";
import { backoffOptions } from "../shared/dlq-schema.js";
import { dlqWorkers, startDlq } from "../shared/start-dlq.js";

const retryForever: Strategy = {
  name: "retry-forever",
  description:
    "A control: retries with the backoff's waits but never gives up and has no DLQ; a poison message holds its partition for good.",
  claims: { effects: "exactly-once", retries: "declared-backoff" },
  control: { expectedAnomalies: ["stuck-partition"] },
  options: backoffOptions,
  workers: dlqWorkers(),
  // Its lag never drains. Its partitions stand still from the first poison message (~1 s in): 7 s of waiting after
  // the 9 s run shows ~14 s of it (10 s makes a partition stuck).
  conformance: [{ name: "poison messages, no fault", faults: [], quiesceTimeoutS: 7 }],
  start: (ctx) =>
    startDlq(ctx, { blocking: { retry: "forever", onGiveUp: "dead-letter", commitBeforeDeadLetter: false } }),
};
export default retryForever;
