import type { OpSpec, PatternRun, RunContext } from "../../../harness/run/contracts.js";
import type { SagaRecord } from "../../../harness/checkers/types.js";
import type { LatencyPoint } from "../../../harness/metrics/recovery.js";
import { pgConfig } from "../../../harness/env/environment.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { initialStockOf, type SagaSchemas } from "./saga-schema.js";

/**
 * Watches sagas end (for latency: start → completed, start → compensated) and reads every service's tables at
 * the end: each order's status with the effects the participants applied for it, and the stock.
 */
export function startObserver(ctx: RunContext, s: SagaSchemas): PatternRun {
  const db = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 2 });
  const ackedWallUs = new Map<string, number>();
  const ended = new Set<string>();
  const points: LatencyPoint[] = [];
  let sinceUs = 0;
  let polling = true;
  const wallUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
  const poll = async () => {
    // Two seconds back: a saga whose transaction committed late with an earlier end time is still seen.
    const { rows } = await db.query<{ id: string; status: string; at: string }>(
      `select id, status, (extract(epoch from ended_at) * 1000000)::bigint at from ${s.orders}.dgh_orders
      where ended_at > to_timestamp($1 / 1000000.0) - interval '2 seconds' order by ended_at`,
      [sinceUs],
    );
    for (const r of rows) {
      sinceUs = Math.max(sinceUs, Number(r.at));
      if (ended.has(r.id)) continue;
      ended.add(r.id);
      const acked = ackedWallUs.get(r.id);
      if (acked === undefined) continue;
      const tookUs = Math.max(1, Number(r.at) - acked);
      ctx.metrics.record("end-to-end", tookUs);
      ctx.metrics.record(`saga ${r.status}`, tookUs);
      points.push({ atUs: ctx.history.now() - (wallUs() - Number(r.at)), e2eUs: tookUs });
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
      if (!warmup) ackedWallUs.set(op.id, wallUs());
    },
    latencyPoints: () => points,
    progress: async () => {
      await poll().catch(() => {});
      return ended.size;
    },
    async outstanding() {
      const { rows } = await db.query<{ n: string }>(
        `select count(*) n from ${s.orders}.dgh_orders where status = 'running'`,
      );
      return Number(rows[0]!.n);
    },
    async observe() {
      const orders = await db.query<{ id: string; status: string }>(`select id, status from ${s.orders}.dgh_orders`);
      const effects = await db.query<{
        saga_id: string;
        kind: SagaRecord["effects"][number]["kind"];
        amount: number;
        sku: string | null;
      }>(
        `select saga_id, kind, amount, sku from (
          select id, at, saga_id, kind, amount, sku from ${s.inventory}.dgh_effects
          union all select id, at, saga_id, kind, amount, null from ${s.payment}.dgh_effects) e order by at, id`,
      );
      const sagas = new Map<string, SagaRecord>(
        orders.rows.map((o) => [o.id, { id: o.id, status: o.status, effects: [] }]),
      );
      for (const e of effects.rows) {
        // Effects of a saga the order service never recorded: kept, as a saga with no status (never terminal).
        const saga = sagas.get(e.saga_id) ?? { id: e.saga_id, status: "no order", effects: [] };
        sagas.set(e.saga_id, saga);
        saga.effects.push({ kind: e.kind, amount: e.amount, ...(e.sku ? { sku: e.sku } : {}) });
      }
      const stock = await db.query<{ sku: string; available: number; lowest: number }>(
        `select sku, available, lowest from ${s.inventory}.dgh_stock`,
      );
      return {
        sagas: [...sagas.values()],
        stock: Object.fromEntries(
          stock.rows.map((r) => [r.sku, { initial: initialStockOf(r.sku), available: r.available, lowest: r.lowest }]),
        ),
      };
    },
    async close() {
      polling = false;
      await loop;
      await db.end();
    },
  };
}
