import type { Strategy } from "../../../harness/run/contracts.js";
import { backoffOptions } from "../shared/dlq-schema.js";
import { deadLetterFailpoints, dlqWorkers, startDlq } from "../shared/start-dlq.js";

const retryTopics: Strategy = {
  name: "retry-topics",
  description:
    "Non-blocking retries after Spring's @RetryableTopic: a failed message moves to a retry topic per wait of the backoff and its partition moves on (throughput kept, order not), then to the DLQ.",
  claims: { effects: "exactly-once", retries: "declared-backoff" },
  options: backoffOptions,
  workers: dlqWorkers(...deadLetterFailpoints, "after-retry-publish"),
  start: (ctx) => startDlq(ctx, { retryTopics: true }),
};
export default retryTopics;
