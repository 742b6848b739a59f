import type { Guard } from "../shared/guard.js";
import dbUnique from "../db-unique/guard.js";

/**
 * Redis as a fast first filter (a key present means "already done"), the database unique key as the guarantee.
 * The key is set only after the charge committed, so a lost or expired key costs a database round trip, never
 * a double charge; and Redis being down only slows it (the filter is skipped).
 */
const redisThenDb: Guard = {
  failpoints: dbUnique.failpoints,
  async process(ctx, p, charge) {
    const key = `${ctx.prefix}:done:${p.paymentId}`;
    const seen = await ctx.redis.exists(key).catch(() => 0);
    if (seen) return "duplicate";
    const outcome = await dbUnique.process(ctx, p, charge);
    await ctx.redis.set(key, "1", "PX", ctx.ttlMs).catch(() => {});
    return outcome;
  },
};
export default redisThenDb;
