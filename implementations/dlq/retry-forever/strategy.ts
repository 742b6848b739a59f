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
  // Its lag never drains: 15 s of waiting shows the partition standing still (10 s makes it stuck).
  conformance: [{ name: "poison messages, no fault", faults: [], quiesceTimeoutS: 15 }],
  start: (ctx) =>
    startDlq(ctx, { blocking: { retry: "forever", onGiveUp: "dead-letter", commitBeforeDeadLetter: false } }),
};
export default retryForever;
