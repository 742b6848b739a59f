/** The idempotency pattern's side of the contract (implementations/idempotency/CONTRACT.md). */
export {
  schemaFor,
  topicFor,
  charge,
  type PaymentRequest,
} from "../implementations/idempotency/shared/payments-schema.js";
