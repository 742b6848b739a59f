import type { Guard } from "../shared/guard.js";
import { inTransaction } from "../../../harness/util/pg-pool.js";

/** No guard: every delivery charges. */
const none: Guard = {
  failpoints: [],
  async process(ctx, _p, charge) {
    await inTransaction(ctx.pool, charge);
    return "charged";
  },
};
export default none;
