import type { OpSpec, PatternRun, RunContext } from "../../../harness/run/contracts.js";
import type { SummaryRow } from "../../../harness/checkers/types.js";
import { foldSummary, type SummaryEvent } from "../../../harness/checkers/read-model.js";
import { pgConfig } from "../../../harness/env/environment.js";
import { EndToEnd } from "../../../harness/metrics/end-to-end.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { schemaFor } from "./projection-schema.js";

/** How often the read-after-write probe reads the read model: its lag is measured to this grain. */
export const probeEveryMs = 20;

/**
 * The read-after-write probe and the observer, on the direct route: every 20 ms it reads each customer's version
 * from the read model as a user's client would (`read_summary`), and the events the write side has committed. An
 * acknowledged command is visible once its customer's row shows its version: the time from the acknowledgement
 * is the read-after-write lag (the run's end-to-end latency). What it saw of each row, in order, is what the
 * monotonic-reads checker reads; after quiesce the read model is compared with the fold of the committed events.
 */
export function startObserver(ctx: RunContext): PatternRun {
  const schema = schemaFor(ctx.runId);
  const db = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 2, query_timeout: 5000 });
  const e2e = new EndToEnd(ctx.metrics);
  /** Per customer: each version the probe saw, when it changed, and when (µs on the history's clock). */
  const seen = new Map<string, { versions: number[]; atUs: number[] }>();
  /** Committed events not yet seen in the read model, per customer, in version order. */
  const waiting = new Map<string, { id: string; version: number }[]>();
  let lastSeq = 0;
  let arrived = 0;
  let committed = 0;
  let running = true;

  const pollEvents = async () => {
    const { rows } = await db.query<{ seq: string; event_id: string; customer: string; version: number }>(
      `select seq, event_id, customer, version from ${schema}.dgh_events where seq > $1 order by seq`,
      [lastSeq],
    );
    for (const r of rows) {
      lastSeq = Number(r.seq);
      committed++;
      const w = waiting.get(r.customer) ?? [];
      w.push({ id: r.event_id, version: r.version });
      w.sort((a, b) => a.version - b.version);
      waiting.set(r.customer, w);
    }
  };
  const pollReadModel = async () => {
    const { rows } = await db.query<{ customer: string; version: number }>(
      `select customer, version from ${schema}.read_summary`,
    );
    const at = ctx.history.now();
    const present = new Set<string>();
    for (const r of rows) {
      present.add(r.customer);
      note(r.customer, r.version, at);
    }
    for (const customer of seen.keys()) if (!present.has(customer)) note(customer, 0, at);
  };
  const note = (customer: string, version: number, atUs: number) => {
    const s = seen.get(customer) ?? { versions: [], atUs: [] };
    seen.set(customer, s);
    if (s.versions.at(-1) === version) return;
    s.versions.push(version);
    s.atUs.push(atUs);
  };
  /** Events whose version their row has shown: arrived when it first showed it (or a later one). */
  const match = () => {
    for (const [customer, w] of waiting) {
      const s = seen.get(customer);
      if (!s) continue;
      while (w.length) {
        const i = s.versions.findIndex((v) => v >= w[0]!.version);
        if (i < 0) break;
        e2e.arrived(w.shift()!.id, s.atUs[i]!);
        arrived++;
      }
    }
  };
  const probe = async () => {
    await pollEvents();
    await pollReadModel();
    match();
  };
  const loop = (async () => {
    while (running) {
      await probe().catch(() => {}); // PostgreSQL restarting: the probe reads again next time
      await new Promise((r) => setTimeout(r, probeEveryMs));
    }
  })();

  return {
    acknowledged(op: OpSpec, atUs: number, warmup: boolean) {
      if (!warmup) e2e.acknowledged(op.id, atUs);
    },
    latencyPoints: () => e2e.points,
    progress: async () => {
      await probe().catch(() => {});
      return arrived;
    },
    outstanding: async () => {
      await probe().catch(() => {});
      return committed - arrived;
    },
    async observe() {
      const events = await db.query<SummaryEvent & { customer: string }>(
        `select customer, version, type, amount from ${schema}.dgh_events order by customer, version`,
      );
      const byCustomer = new Map<string, SummaryEvent[]>();
      for (const e of events.rows) byCustomer.set(e.customer, [...(byCustomer.get(e.customer) ?? []), e]);
      const actual = await db.query<SummaryRow & { customer: string; total: string }>(
        `select customer, orders, total, status, version, events from ${schema}.read_summary`,
      );
      return {
        readModel: {
          expected: Object.fromEntries([...byCustomer].map(([k, es]) => [k, foldSummary(es)])),
          actual: Object.fromEntries(
            actual.rows.map(({ customer, ...r }) => [customer, { ...r, total: Number(r.total) }]),
          ),
        },
        versionsSeen: Object.fromEntries([...seen].map(([k, s]) => [k, s.versions])),
      };
    },
    async close() {
      running = false;
      await loop;
      await db.end();
    },
  };
}
