import type { Guard } from "../shared/guard.js";
import { inTransaction } from "../../../harness/util/pg-pool.js";

/**
 * SET key NX PX ttl, then charge. Two writes in two systems: the claim holds only while Redis keeps the key
 * (a restart without persistence or an expired TTL lets a redelivery charge again), and a crash between the
 * SET and the charge ("after-setnx") leaves a key for a payment never charged: the redelivery is skipped.
 */
const redisSetNx: Guard = {
  failpoints: ["after-setnx"],
  async process(ctx, p, charge) {
    const ok = await ctx.redis.set(`${ctx.prefix}:paid:${p.paymentId}`, "1", "PX", ctx.ttlMs, "NX");
    if (ok !== "OK") return "duplicate";
    ctx.failpoint("after-setnx", 1);
    await inTransaction(ctx.pool, charge);
    return "charged";
  },
};
export default redisSetNx;
