import type { Strategy } from "../../../harness/run/contracts.js";
import { backoffOptions } from "../shared/dlq-schema.js";
import { deadLetterFailpoints, dlqWorkers, startDlq } from "../shared/start-dlq.js";

const commitBeforeDlqWrite: Strategy = {
  name: "commit-before-dlq-write",
  description:
    "A control: the blocking consumer, but it commits the offset before the dead letter is written; killed in between, the message is gone.",
  claims: { effects: "exactly-once", retries: "declared-backoff" },
  control: { expectedAnomalies: ["lost"] },
  options: backoffOptions,
  workers: dlqWorkers(...deadLetterFailpoints),
  conformance: [
    {
      name: "consumer killed after the commit, before the dead letter is written",
      faults: [{ atS: 2, forS: 4, fault: { kind: "crash-at", target: "consumer", failpoint: "before-dlq-write" } }],
    },
  ],
  start: (ctx) =>
    startDlq(ctx, { blocking: { retry: "backoff", onGiveUp: "dead-letter", commitBeforeDeadLetter: true } }),
};
export default commitBeforeDlqWrite;
