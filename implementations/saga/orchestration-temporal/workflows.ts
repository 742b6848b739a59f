import { proxyActivities } from "@temporalio/workflow";
import type { SagaActivities } from "./activities.js";
import type { Order } from "../shared/saga-schema.js";

/**
 * The order saga as a Temporal workflow: each step an activity, each compensation registered once its step
 * succeeded, run in reverse when a later step fails. Temporal keeps where the workflow stands; an activity that
 * times out or whose worker died is retried, so the participants see its command again (their guard answers).
 * Runs in Temporal's deterministic sandbox: no I/O here, only activities.
 */
const { record, command, finish } = proxyActivities<SagaActivities>({
  startToCloseTimeout: "10 seconds",
  retry: { initialInterval: "200 milliseconds", backoffCoefficient: 2, maximumInterval: "2 seconds" },
});

export async function orderSaga(order: Order): Promise<string> {
  await record(order);
  const undo: (() => Promise<unknown>)[] = [];
  const reserved = await command(order, "reserve");
  if (reserved.ok) {
    undo.unshift(() => command(order, "release"));
    const charged = await command(order, "charge");
    if (charged.ok) {
      undo.unshift(() => command(order, "refund"));
      if (order.plan !== "confirm-fails") {
        await finish(order.id, "completed");
        return "completed";
      }
    }
  }
  for (const step of undo) await step();
  await finish(order.id, "compensated");
  return "compensated";
}
