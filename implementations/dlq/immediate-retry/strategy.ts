import type { Strategy } from "../../../harness/run/contracts.js";
import { backoffOptions } from "../shared/dlq-schema.js";
import { deadLetterFailpoints, dlqWorkers, startDlq } from "../shared/start-dlq.js";

const immediateRetry: Strategy = {
  name: "immediate-retry",
  description:
    "A control: three attempts with no wait, then the DLQ. A dependency down for a second sends healthy payments to the DLQ.",
  claims: { effects: "exactly-once", retries: "declared-backoff" },
  control: { expectedAnomalies: ["premature-dead-letter", "backoff-violated"] },
  options: backoffOptions,
  workers: dlqWorkers(...deadLetterFailpoints),
  conformance: [
    {
      name: "PostgreSQL down 1 s, less than the retry budget",
      faults: [{ atS: 2, forS: 1, fault: { kind: "link-down", service: "postgres" } }],
    },
  ],
  start: (ctx) =>
    startDlq(ctx, { blocking: { retry: "immediate", onGiveUp: "dead-letter", commitBeforeDeadLetter: false } }),
};
export default immediateRetry;
