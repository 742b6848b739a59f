import type pg from "pg";
import {
  failpoint,
  log,
  onStop,
  ready,
  serveOps,
  workerConfig,
  workerStats,
} from "../../../harness/workers/worker-runtime.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { decide, replay, type AccountState } from "./account.js";
import { append, ConcurrencyError, exactSerializer, writeSnapshot, type Serializer } from "./event-store.js";
import { loadFromSnapshot, loadFull } from "./loader.js";

/**
 * A writer process: for each command, load the account (as its strategy does), decide, and append with the
 * expected version; on a concurrency conflict reload and retry. "after-read" is the failpoint between the
 * read and the append.
 */
interface Config {
  pg: pg.ClientConfig;
  schema: string;
  load: "full" | "snapshot";
  snapshotEvery: number;
  serializer: "exact" | "drops-withdrawals";
  maxRetries: number;
  /** The stale-cache control's bug: accounts kept in memory, and a conflict does not drop the stale copy. */
  cachesState: boolean;
}
const c = workerConfig<Config>();
const stats = workerStats({
  commands: 0,
  appends: 0,
  conflicts: 0,
  rejected: 0,
  gaveUp: 0,
  snapshots: 0,
  snapshotMs: 0,
  loadMs: 0,
});
const pool = resilientPool({ ...c.pg, max: 8, connectionTimeoutMillis: 3000, query_timeout: 5000 });
// The stale-snapshot control's serializer: an older version of the code that does not know `withdrawals`.
const serializer: Serializer =
  c.serializer === "drops-withdrawals" ? ({ withdrawals: _dropped, ...rest }) => rest : exactSerializer;
const cache = new Map<string, AccountState>();
const loadFromStore = (id: string): Promise<AccountState> =>
  c.load === "full" ? loadFull(pool, c.schema, id) : loadFromSnapshot(pool, c.schema, id);
const load = async (id: string): Promise<AccountState> => (c.cachesState && cache.get(id)) || loadFromStore(id);

serveOps(async (op) => {
  stats.commands++;
  const amount = (op.value as { amount: number }).amount;
  for (let attempt = 0; attempt <= c.maxRetries; attempt++) {
    const t0 = performance.now();
    const state = await load(op.key!);
    stats.loadMs += performance.now() - t0;
    const decision = decide(state, { f: op.f, amount });
    if ("rejected" in decision) {
      stats.rejected++;
      return { outcome: "fail", error: decision.rejected };
    } // definitely not applied
    failpoint("after-read");
    try {
      const version = await append(pool, c.schema, op.key!, state.version, decision);
      stats.appends++;
      if (c.cachesState) cache.set(op.key!, replay(decision, state));
      if (c.snapshotEvery > 0 && Math.floor(version / c.snapshotEvery) > Math.floor(state.version / c.snapshotEvery)) {
        const t1 = performance.now();
        // The append succeeded at state.version, so nobody wrote in between: the new state is the decision applied to
        // the state we loaded — no need to read the stream again.
        await writeSnapshot(pool, c.schema, op.key!, replay(decision, state), serializer);
        stats.snapshots++;
        stats.snapshotMs += performance.now() - t1;
      }
      return { outcome: "ok", value: { version } };
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
      stats.conflicts++;
    }
  }
  stats.gaveUp++;
  return { outcome: "fail", error: `gave up after ${c.maxRetries} concurrency conflicts` };
});
onStop(async () => {
  await pool.end();
});
ready();
log(`writer: load ${c.load}, snapshot every ${c.snapshotEvery || "never"}, serializer ${c.serializer}`);
