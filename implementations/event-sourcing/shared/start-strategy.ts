import path from "node:path";
import { fileURLToPath } from "node:url";
import { numberedWorker, workerSet } from "../../../harness/workers/worker-set.js";
import type { ConformanceCase, RunContext, StrategyRun } from "../../../harness/run/contracts.js";
import type { OptionSpecs } from "../../../harness/run/options.js";
import { pgConfig } from "../../../harness/env/environment.js";
import { ClientPool } from "../../../harness/workers/client-pool.js";
import { sumWorkerStats } from "../../../harness/workers/worker-stats.js";
import { resilientPool } from "../../../harness/util/pg-pool.js";
import { append, createStore, schemaFor } from "./event-store.js";

const here = path.dirname(fileURLToPath(import.meta.url));
/** The conformance workload: few accounts, many clients, so writers collide (what this pattern is about). */
export const hot = {
  mode: "closed" as const,
  concurrency: 16,
  keyCount: 5,
  keySkew: 1,
  params: { depositShare: 0.35 },
};

/** The faults every reference strategy of this pattern must keep its claims under. */
export const writerFaultCases: ConformanceCase[] = [
  {
    name: "writer killed between read and append",
    workload: hot,
    faults: [{ atS: 2, forS: 2, fault: { kind: "crash-at", target: "writer", failpoint: "after-read" } }],
  },
  {
    name: "PostgreSQL slow (100 ms)",
    workload: hot,
    tier: "full", // slows every writer alike: the hot keys collide as often without it
    faults: [
      {
        atS: 2,
        forS: 3,
        fault: {
          kind: "toxic",
          service: "postgres",
          toxic: { type: "latency", attributes: { latency: 100, jitter: 20 } },
        },
      },
    ],
  },
];

/**
 * PostgreSQL restarted under the writers. Every strategy's writers share the code that meets it (a connection cut
 * mid-append), so CI restarts it under snapshot-async (which has a snapshotter process too) and the full profile
 * under each (`inCi` false).
 */
export const postgresRestarted = ({ inCi }: { inCi: boolean }): ConformanceCase => ({
  name: "PostgreSQL restarted",
  workload: hot,
  faults: [{ atS: 3, forS: 0, fault: { kind: "restart", target: "postgres" } }],
  ...(!inCi && { tier: "full" as const }),
});

export const writerCount = (o: Record<string, unknown>) => Number(o.writers ?? 4);

export interface EsStrategyShape {
  optimistic: boolean;
  load: "full" | "snapshot";
  snapshotEvery: number; // in the writer, after an append crosses a multiple of N (0 = never)
  serializer: "exact" | "drops-withdrawals";
  asyncSnapshotEvery?: number; // a background snapshotter process (snapshot-async)
  cachesState?: boolean; // the stale-cache control: each writer keeps accounts in memory and never drops one on a conflict
}

/** The options of every event-sourcing strategy; the snapshot interval's default is the strategy's own. */
export function writerOptions(shape: EsStrategyShape): OptionSpecs {
  return {
    writers: { type: "integer", min: 1, max: 64, default: 4, description: "writer processes serving the clients" },
    snapshotEvery: {
      type: "integer",
      min: 0,
      max: 1_000_000,
      default: shape.asyncSnapshotEvery ?? shape.snapshotEvery,
      description: "events between snapshots (0 = never)",
    },
    snapshotIntervalMs: {
      type: "integer",
      min: 1,
      max: 60_000,
      default: 200,
      description: "how often the background snapshotter looks (snapshot-async)",
    },
    maxRetries: {
      type: "integer",
      min: 0,
      max: 10_000,
      default: 20,
      description: "appends retried on a version conflict before the command gives up",
    },
    legacyAccounts: {
      type: "integer",
      min: 0,
      max: 10_000,
      default: 3,
      description: "accounts seeded with v1 events written by older code (upcasting)",
    },
  };
}

export function workersOf(shape: EsStrategyShape, o: Record<string, unknown>): Record<string, readonly string[]> {
  const w = workerSet("writer", writerCount(o), ["after-read"]);
  if (shape.asyncSnapshotEvery) w.snapshotter = ["between-snapshots"];
  return w;
}

/** Creates the store, seeds legacy (v1) events, starts the writers (and the snapshotter), and sends ops to them. */
export async function startEsStrategy(ctx: RunContext, shape: EsStrategyShape): Promise<StrategyRun> {
  const schema = schemaFor(ctx.runId);
  const admin = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 1 });
  await createStore(admin, schema, shape.optimistic);
  await seedLegacyEvents(ctx, admin, schema);
  const o = ctx.options;
  // With a background snapshotter the option is its interval; the writers keep the strategy's own.
  const snapshotEvery = shape.asyncSnapshotEvery ? shape.snapshotEvery : Number(o.snapshotEvery);
  const writers = [];
  for (let i = 0; i < writerCount(o); i++) {
    writers.push(
      await ctx.spawnWorker({
        name: numberedWorker("writer", i),
        module: path.join(here, "writer.ts"),
        config: {
          pg: pgConfig(ctx.env, "proxied"),
          schema,
          load: shape.load,
          snapshotEvery,
          serializer: shape.serializer,
          maxRetries: Number(o.maxRetries ?? 20),
          cachesState: shape.cachesState ?? false,
        },
      }),
    );
  }
  if (shape.asyncSnapshotEvery) {
    await ctx.spawnWorker({
      name: "snapshotter",
      module: path.join(here, "snapshotter.ts"),
      config: {
        pg: pgConfig(ctx.env, "proxied"),
        schema,
        every: Number(o.snapshotEvery),
        intervalMs: Number(o.snapshotIntervalMs ?? 200),
      },
    });
  }
  const clients = new ClientPool(writers);
  return {
    invoke: (op) => clients.invoke(op),
    async stats() {
      const w = sumWorkerStats(ctx.dir, "writer");
      const s = sumWorkerStats(ctx.dir, "snapshotter");
      const snapshots = (w.snapshots ?? 0) + (s.snapshots ?? 0);
      return {
        appends: w.appends ?? 0,
        conflicts: w.conflicts ?? 0,
        conflictRate: (w.conflicts ?? 0) / Math.max(1, (w.appends ?? 0) + (w.conflicts ?? 0)),
        rejectedWithdrawals: w.rejected ?? 0,
        gaveUp: w.gaveUp ?? 0,
        meanLoadMs: (w.loadMs ?? 0) / Math.max(1, w.commands ?? 0),
        snapshots,
        meanSnapshotWriteMs: ((w.snapshotMs ?? 0) + (s.snapshotMs ?? 0)) / Math.max(1, snapshots),
        writerCpuMs: w.cpuMs ?? 0,
      };
    },
    close: () => admin.end(),
  };
}

/** Streams written by older code: v1 deposits (amt, no currency). Recorded as acknowledged ops so the balance check counts them. */
async function seedLegacyEvents(ctx: RunContext, db: import("pg").Pool, schema: string): Promise<void> {
  const n = Math.min(Number(ctx.options.legacyAccounts ?? 3), ctx.workload.keyCount);
  for (let k = 0; k < n; k++) {
    const id = `account-${k}`;
    await append(db, schema, id, 0, [
      { type: "Opened", v: 2, data: { owner: "legacy" } },
      { type: "Deposited", v: 1, data: { amt: 50 } },
    ]);
    const op = ctx.history.newOp();
    ctx.history.record({ type: "invoke", op, f: "seed-deposit", id: `seed-${k}`, key: id, value: { delta: 50, v: 1 } });
    ctx.history.record({ type: "ok", op, f: "seed-deposit", id: `seed-${k}` });
  }
}
