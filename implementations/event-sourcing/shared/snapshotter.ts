import type pg from "pg";
import { failpoint, log, onStop, ready, workerConfig, workerStats } from "../../../harness/workers/worker-runtime.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { sleep } from "../../../harness/util/wait.js";
import { exactSerializer, writeSnapshot } from "./event-store.js";
import { loadFull } from "./loader.js";

/** The background snapshotter: finds accounts at least `every` events past their last snapshot and snapshots them. */
interface Config {
  pg: pg.ClientConfig;
  schema: string;
  every: number;
  intervalMs: number;
}
const c = workerConfig<Config>();
const stats = workerStats({ rounds: 0, snapshots: 0, snapshotMs: 0 });
const pool = resilientPool({ ...c.pg, max: 2, connectionTimeoutMillis: 3000, query_timeout: 10_000 });
let running = true;
onStop(async () => {
  running = false;
  await pool.end();
});
ready();
log(`snapshotter: every ${c.every} events, looking every ${c.intervalMs} ms`);
while (running) {
  try {
    const { rows } = await pool.query<{ aggregate_id: string }>(
      `
      select e.aggregate_id from ${c.schema}.events e
      left join (select aggregate_id, max(version) v from ${c.schema}.snapshots group by aggregate_id) s using (aggregate_id)
      group by e.aggregate_id, s.v having max(e.version) - coalesce(s.v, 0) >= $1`,
      [c.every],
    );
    stats.rounds++;
    for (const r of rows) {
      const t0 = performance.now();
      await writeSnapshot(
        pool,
        c.schema,
        r.aggregate_id,
        await loadFull(pool, c.schema, r.aggregate_id),
        exactSerializer,
      );
      stats.snapshots++;
      stats.snapshotMs += performance.now() - t0;
      failpoint("between-snapshots");
    }
  } catch (e) {
    log(`round failed: ${(e as Error).message}`);
  }
  await sleep(c.intervalMs);
}
