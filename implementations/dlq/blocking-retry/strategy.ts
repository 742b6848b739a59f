import type { Strategy } from "../../../harness/run/contracts.js";
import { backoffOptions } from "../shared/dlq-schema.js";
import { deadLetterFailpoints, dlqWorkers, startDlq } from "../shared/start-dlq.js";

const blockingRetry: Strategy = {
  name: "blocking-retry",
  description:
    "Retries in place with the declared exponential backoff while the partition waits (order kept, head-of-line blocking), then writes the dead letter, then commits the offset.",
  claims: { effects: "exactly-once", retries: "declared-backoff", ordering: "per-key" },
  options: backoffOptions,
  workers: dlqWorkers(...deadLetterFailpoints),
  start: (ctx) =>
    startDlq(ctx, { blocking: { retry: "backoff", onGiveUp: "dead-letter", commitBeforeDeadLetter: false } }),
};
export default blockingRetry;
