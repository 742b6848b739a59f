import type { Strategy } from "../../../harness/run/contracts.js";
import { backoffOptions } from "../shared/dlq-schema.js";
import { dlqWorkers, startDlq } from "../shared/start-dlq.js";

const dropOnError: Strategy = {
  name: "drop-on-error",
  description:
    "A control: logs a message that fails, acknowledges it and moves on. Nothing is retried or dead-lettered.",
  claims: { effects: "exactly-once", retries: "declared-backoff" },
  control: { expectedAnomalies: ["lost"] },
  options: backoffOptions,
  workers: dlqWorkers(),
  conformance: [{ name: "poison messages, no fault", faults: [] }],
  start: (ctx) => startDlq(ctx, { blocking: { retry: "none", onGiveUp: "drop", commitBeforeDeadLetter: false } }),
};
export default dropOnError;
