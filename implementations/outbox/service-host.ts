import type { ServiceHost } from "../../harness/run/contracts.js";
import { outboxOrderService } from "./shared/order-service.js";
import { schemaFor, topicFor } from "./shared/outbox-schema.js";

/**
 * The outbox pattern's side of a black-box relay: dgh commits each order change with its row in dgh's outbox
 * table, the relay (any language) publishes the rows to the topic. CONTRACT.md says what the relay must write.
 */
export const outboxServiceHost: ServiceHost = {
  worker: "relay",
  instancesOption: "instances",
  env: (ctx) => ({
    DGH_SCHEMA: schemaFor(ctx.runId),
    DGH_OUTBOX_TABLE: `${schemaFor(ctx.runId)}.dgh_outbox`,
    DGH_TOPIC: topicFor(ctx.runId),
  }),
  async start(ctx) {
    const svc = outboxOrderService(ctx);
    return {
      invoke: (op) => svc.invoke(op),
      pending: async () => [{ stage: "relay (unpublished outbox rows)", count: await svc.unpublished() }],
      close: () => svc.close(),
    };
  },
};
