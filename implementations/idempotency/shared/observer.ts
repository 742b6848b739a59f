import type { OpSpec, PatternRun, RunContext } from "../../../harness/run/contracts.js";
import { pgConfig } from "../../../harness/env/environment.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import type { LatencyPoint } from "../../../harness/metrics/recovery.js";

/** Reads the ledger: charges as they are made (for latency), and all of it at the end (for the checkers). */
export function startObserver(ctx: RunContext, schema: string): PatternRun {
  const db = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 2 });
  const ackedWallUs = new Map<string, number>();
  const seen = new Set<string>();
  const accepted = new Set<string>(); // distinct payments acknowledged (warm-up included): each must be charged
  const points: LatencyPoint[] = [];
  let lastId = 0;
  let polling = true;
  const wallUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
  const poll = async () => {
    const { rows } = await db.query<{ id: string; payment_id: string; at: string }>(
      `select id, payment_id, (extract(epoch from charged_at) * 1000000)::bigint at from ${schema}.dgh_charges where id > $1 order by id`,
      [lastId],
    );
    for (const r of rows) {
      lastId = Number(r.id);
      if (seen.has(r.payment_id)) continue;
      seen.add(r.payment_id);
      const acked = ackedWallUs.get(r.payment_id);
      if (acked !== undefined) {
        const e2eUs = Math.max(1, Number(r.at) - acked);
        ctx.metrics.record("end-to-end", e2eUs);
        points.push({ atUs: ctx.history.now() - (wallUs() - Number(r.at)), e2eUs });
      }
    }
  };
  const loop = (async () => {
    while (polling) {
      await poll().catch(() => {});
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    acknowledged(op: OpSpec, _atUs: number, warmup: boolean) {
      accepted.add(op.id);
      if (!warmup && op.f === "pay") ackedWallUs.set(op.id, wallUs());
    },
    latencyPoints: () => points,
    progress: async () => {
      await poll().catch(() => {});
      return lastId;
    },
    async outstanding() {
      const { rows } = await db.query<{ n: string }>(`select count(distinct payment_id) n from ${schema}.dgh_charges`);
      return Math.max(0, accepted.size - Number(rows[0]!.n));
    },
    async observe() {
      const charges = await db.query<{ payment_id: string; amount: number }>(
        `select payment_id, amount from ${schema}.dgh_charges order by id`,
      );
      const balances = await db.query<{ customer_id: string; charged: number }>(
        `select customer_id, charged from ${schema}.dgh_balances`,
      );
      return {
        effects: charges.rows.map((r) => ({ id: r.payment_id, amount: r.amount })),
        balances: Object.fromEntries(balances.rows.map((r) => [r.customer_id, r.charged])),
      };
    },
    async close() {
      polling = false;
      await loop;
      await db.end();
    },
  };
}
