import type { Pattern } from "../../harness/run/contracts.js";
import { eventSourcingProfile } from "./profile.js";
import { pgConfig } from "../../harness/env/environment.js";
import { chooseKey } from "../../harness/workload/rng.js";
import { balances, equivalence } from "../../harness/checkers/state.js";
import { pgCommitBaseline } from "../../harness/metrics/baselines.js";
import { resilientPool } from "../../harness/util/pg-pool.js";
import { loadEvents, schemaFor } from "./shared/event-store.js";
import { loadFromSnapshot } from "./shared/loader.js";
import { apply, initial, upcast } from "./shared/account.js";

/**
 * Event sourcing: concurrent writers deposit to and withdraw from hot accounts. Every accepted command must be
 * in the final state (no lost update), no balance may go negative, and for every account the newest snapshot
 * plus the events after it must equal a full replay.
 */
const eventSourcing: Pattern = {
  name: "event-sourcing",
  description:
    "append account events with optimistic concurrency; snapshots must equal a full replay; balances never negative",
  nextOp(i, rng, w) {
    const amount = rng.int(1, 100);
    const f = rng.next() < Number(w.params.depositShare ?? 0.5) ? "deposit" : "withdraw";
    return {
      f,
      id: `c${i}`,
      key: `account-${chooseKey(rng, w)}`,
      value: { amount, delta: f === "deposit" ? amount : -amount },
    };
  },
  async setup(ctx) {
    const schema = schemaFor(ctx.runId);
    const db = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 4 });
    const count = async () =>
      Number(
        (await db.query<{ n: string }>(`select count(*) n from ${schema}.events`).catch(() => ({ rows: [{ n: "0" }] })))
          .rows[0]!.n,
      );
    return {
      progress: count,
      outstanding: async () => 0, // a command is acknowledged only once its events are appended: nothing is in flight after the load
      async observe() {
        const { rows } = await db.query<{ aggregate_id: string }>(`select distinct aggregate_id from ${schema}.events`);
        const expected: Record<string, unknown> = {},
          actual: Record<string, unknown> = {},
          bal: Record<string, number> = {},
          lowest: Record<string, number> = {};
        for (const { aggregate_id: id } of rows) {
          const events = await loadEvents(db, schema, id);
          let s = initial(),
            low = 0;
          for (const e of events) {
            s = apply(s, upcast(e));
            low = Math.min(low, s.balance);
          }
          expected[id] = s;
          actual[id] = await loadFromSnapshot(db, schema, id);
          bal[id] = s.balance;
          lowest[id] = low;
        }
        return { balances: bal, lowestBalances: lowest, models: { snapshot: { expected, actual } } };
      },
      close: () => db.end(),
    };
  },
  checkers: () => [balances("lost-update"), equivalence("snapshot", "stale-snapshot")],
  profile: eventSourcingProfile,
  costFigures: {
    meanLoadMs: "load ms/command",
    conflictRate: "conflict rate",
    meanSnapshotWriteMs: "snapshot write ms",
  },
  async baselines(ctx, seconds) {
    return [await pgCommitBaseline(ctx, seconds)];
  },
};
export default eventSourcing;
