import type { Guard } from "../shared/guard.js";
import { inTransaction } from "../../../harness/util/pg-pool.js";

/**
 * The payment id goes into dgh_processed_events (unique) in the same transaction as the charge: both or neither.
 * "after-guard" sits between the check and the effect: a crash there must undo the guard row with the charge.
 */
const dbUnique: Guard = {
  failpoints: ["after-guard"],
  process(ctx, p, charge) {
    return inTransaction(ctx.pool, async (c) => {
      const r = await c.query(
        `insert into ${ctx.schema}.dgh_processed_events (payment_id) values ($1) on conflict do nothing`,
        [p.paymentId],
      );
      if (r.rowCount === 0) return "duplicate" as const;
      ctx.failpoint("after-guard", 1);
      await charge(c);
      return "charged" as const;
    });
  },
};
export default dbUnique;
