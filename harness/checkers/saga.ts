import { operations } from "../history/events.js";
import { AnomalyCollector, type Checker, type SagaRecord } from "./types.js";

/** What the workload asked of a saga: the order's quantity and amount, and whether it was meant to complete. */
export interface SagaPlan {
  sku: string;
  qty: number;
  amount: number;
  /** "complete", or where it must fail: "sold-out" (no stock), "declined" (card), "confirm-fails" (after both). */
  plan: string;
}

const terminal = new Set(["completed", "compensated"]);
const count = (s: SagaRecord, kind: SagaRecord["effects"][number]["kind"]) =>
  s.effects.filter((e) => e.kind === kind).length;
const sum = (s: SagaRecord, kind: SagaRecord["effects"][number]["kind"]) =>
  s.effects.filter((e) => e.kind === kind).reduce((x, e) => x + e.amount, 0);

/**
 * Every saga all or nothing. After quiesce each accepted order's saga is completed (its stock reserved, its charge
 * taken) or compensated (no net reservation, no net charge) — else `partial-saga`; none is still running
 * (`stuck-saga`); no step applied twice (`duplicate-effect`) and no compensation twice or without its step
 * (`double-compensation`); an order planned to fail never completes, and an accepted order has a saga at all
 * (`lost`). A strategy that cancels what it should complete keeps atomicity, so fewer than half of the sagas planned
 * to complete doing so is `no-progress`: cancelling everything is not a pass.
 */
export const sagaOutcomes: Checker = {
  name: "saga-outcomes",
  names: [
    "partial-saga",
    "stuck-saga",
    "duplicate-effect",
    "double-compensation",
    "invariant-violation",
    "lost",
    "no-progress",
  ],
  check(history, obs) {
    if (!obs.sagas) throw new Error("observation has no sagas");
    const a = new AnomalyCollector();
    const byId = new Map(obs.sagas.map((s) => [s.id, s]));
    const plans = new Map<string, { plan: SagaPlan; outcome: string }>();
    for (const o of operations(history))
      if (o.f === "order") plans.set(o.id, { plan: o.value as SagaPlan, outcome: o.outcome });
    const stats = {
      sagas: obs.sagas.length,
      completed: 0,
      compensated: 0,
      stuck: 0,
      plannedToComplete: 0,
      completedAsPlanned: 0,
    };
    for (const [id, { plan, outcome }] of plans) {
      const s = byId.get(id);
      if (!s) {
        // Only an acknowledged order must have a saga: a failed or unknown one may never have started.
        if (outcome === "ok") a.add("lost", { id, plan: plan.plan, rule: "an accepted order has a saga" });
        continue;
      }
      if (plan.plan === "complete") stats.plannedToComplete++;
      const reserves = count(s, "reserve"),
        charges = count(s, "charge");
      if (reserves > 1 || charges > 1) a.add("duplicate-effect", { id, reserves, charges, effects: s.effects });
      const releases = count(s, "release"),
        refunds = count(s, "refund");
      if (releases > 1 || refunds > 1 || releases > reserves || refunds > charges)
        a.add("double-compensation", { id, reserves, releases, charges, refunds, effects: s.effects });
      const reserved = sum(s, "reserve") - sum(s, "release");
      const charged = sum(s, "charge") - sum(s, "refund");
      if (!terminal.has(s.status)) {
        stats.stuck++;
        a.add("stuck-saga", { id, status: s.status, reserved, charged, effects: s.effects });
        continue;
      }
      if (s.status === "completed") {
        stats.completed++;
        if (plan.plan === "complete") stats.completedAsPlanned++;
        else a.add("invariant-violation", { id, plan: plan.plan, rule: "an order planned to fail never completes" });
        if (reserved !== plan.qty || charged !== plan.amount)
          a.add("partial-saga", {
            id,
            status: s.status,
            reserved,
            charged,
            expected: { reserved: plan.qty, charged: plan.amount },
            effects: s.effects,
          });
      } else {
        stats.compensated++;
        if (reserved !== 0 || charged !== 0)
          a.add("partial-saga", {
            id,
            status: s.status,
            reserved,
            charged,
            expected: { reserved: 0, charged: 0 },
            effects: s.effects,
          });
      }
    }
    if (stats.plannedToComplete >= 10 && stats.completedAsPlanned < stats.plannedToComplete / 2)
      a.add("no-progress", {
        plannedToComplete: stats.plannedToComplete,
        completed: stats.completedAsPlanned,
        rule: "at least half of the sagas planned to complete do",
      });
    return a.verdict(this.name, stats);
  },
};

/**
 * Stock and money are conserved: no SKU's stock ever below zero; what left the shelf is what the sagas hold
 * (initial − available = net reservations, counting every saga the participants touched, accepted or not).
 */
export const stockConservation: Checker = {
  name: "stock-conservation",
  names: ["invariant-violation"],
  check(_history, obs) {
    if (!obs.stock || !obs.sagas) throw new Error("observation has no stock or no sagas");
    const a = new AnomalyCollector();
    const held = new Map<string, number>();
    for (const s of obs.sagas)
      for (const e of s.effects)
        if (e.sku && (e.kind === "reserve" || e.kind === "release"))
          held.set(e.sku, (held.get(e.sku) ?? 0) + (e.kind === "reserve" ? e.amount : -e.amount));
    for (const [sku, st] of Object.entries(obs.stock)) {
      if (st.lowest < 0) a.add("invariant-violation", { sku, lowest: st.lowest, rule: "stock >= 0 at every moment" });
      const reserved = held.get(sku) ?? 0;
      if (st.initial - st.available !== reserved)
        a.add("invariant-violation", { sku, ...st, reserved, rule: "initial - available == net reservations" });
    }
    return a.verdict(this.name, { skus: Object.keys(obs.stock).length });
  },
};
