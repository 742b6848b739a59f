/** The outbox pattern's side of the contract (implementations/outbox/CONTRACT.md). */
export {
  schemaFor,
  topicFor,
  commitOrderChange,
  type OrderEvent,
  type OrderWrite,
} from "../implementations/outbox/shared/outbox-schema.js";
export { outboxOrderService } from "../implementations/outbox/shared/order-service.js";
