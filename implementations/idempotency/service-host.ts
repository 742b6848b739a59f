import type { ServiceHost } from "../../harness/run/contracts.js";
import { paymentRequests } from "./shared/payment-requests.js";
import { groupFor, schemaFor, topicFor } from "./shared/payments-schema.js";

/**
 * The idempotency pattern's side of a black-box consumer: dgh puts the payment requests on the topic (some
 * twice, as upstream retries do), the consumer (any language) charges each once. CONTRACT.md says how.
 */
export const idempotencyServiceHost: ServiceHost = {
  worker: "consumer",
  instancesOption: "consumers",
  env: (ctx) => ({
    DGH_SCHEMA: schemaFor(ctx.runId),
    DGH_TOPIC: topicFor(ctx.runId),
    DGH_GROUP_ID: groupFor(ctx.runId),
    DGH_REDIS_PREFIX: `${ctx.runId}:`,
  }),
  async start(ctx) {
    const requests = await paymentRequests(ctx);
    return {
      invoke: (op) => requests.invoke(op),
      pending: async () => [{ stage: "consumers (group lag)", count: await requests.lag(groupFor(ctx.runId)) }],
      close: () => requests.close(),
    };
  },
};
