import fs from "node:fs";

/**
 * The worker side of a strategy's child process (relay, consumer, processor): its config, its failpoints,
 * and telling the harness it is ready. Import this in a worker module; nothing here runs in the harness.
 */
export function workerConfig<T>(): T {
  const raw = process.env.DGH_WORKER_CONFIG;
  if (!raw)
    throw new Error("DGH_WORKER_CONFIG is not set: workers are started by the harness (harness/workers/worker.ts)");
  return JSON.parse(raw) as T;
}

export const workerName = process.env.DGH_WORKER_NAME ?? "worker";
// The harness that started this worker is gone (the IPC channel closed): nobody will stop it, so stop now.
process.on("disconnect", () => process.exit(0));
const controlFile = process.env.DGH_FAILPOINT_FILE;

/**
 * A named point between two real steps (e.g. "after-publish", before the rows are marked). When the harness has
 * armed it, the process kills itself with SIGKILL right here: a real crash at an exact place, no cleanup.
 * `inFlight` is how much work is mid-step here (rows published and not marked): a crash with none proves little,
 * so the fault's proof records it (harness/workers/PROTOCOL.md).
 */
export function failpoint(name: string, inFlight?: number): void {
  if (!controlFile || !fs.existsSync(controlFile)) return;
  let armed = "";
  try {
    armed = fs.readFileSync(controlFile, "utf8").trim();
  } catch {
    return;
  }
  if (armed !== name && armed !== `pause:${name}`) return;
  fs.writeFileSync(`${controlFile}.fired`, JSON.stringify({ failpoint: name, inFlight }));
  fs.rmSync(controlFile, { force: true });
  // SIGSTOP takes effect before the next instruction: the process resumes right here on SIGCONT.
  process.kill(process.pid, armed === name ? "SIGKILL" : "SIGSTOP");
}

let cpuAtReadyMs = 0;
const cpuNowMs = () => {
  const c = process.cpuUsage();
  return Math.round((c.user + c.system) / 1000);
};

/** Tells the harness the worker is ready; CPU used from here on is the work's (start-up, e.g. compiling TS, is kept apart). */
export function ready(info: Record<string, unknown> = {}): void {
  cpuAtReadyMs = cpuNowMs();
  process.send?.({ type: "ready", ...info });
}

/** Runs `stop` on SIGTERM/SIGINT, then exits; a second signal exits at once. */
export function onStop(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) process.exit(1);
    stopping = true;
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}

/** Workers log to their log file with a time, so a report can point at what a worker did around a fault. */
export function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} [${workerName}] ${message}\n`);
}

/**
 * Counters a worker keeps for the report (queries, rows, …), written once a second to $DGH_STATS_FILE
 * (workers/<name>.start<n>.stats.json) with the process's CPU time; restarts add files, the harness sums them.
 */
export function workerStats<T extends Record<string, number>>(initial: T): T {
  const stats = { ...initial };
  const file = process.env.DGH_STATS_FILE;
  if (!file) return stats;
  const flush = () => {
    const cpu = cpuNowMs();
    const work = cpuAtReadyMs ? { cpuMs: cpu - cpuAtReadyMs, startupCpuMs: cpuAtReadyMs } : { startupCpuMs: cpu };
    try {
      fs.writeFileSync(file, JSON.stringify({ ...stats, ...work }));
    } catch {
      /* best effort */
    }
  };
  setInterval(flush, 1000).unref();
  process.on("exit", flush);
  return stats;
}

/** A client worker: executes the ops the harness sends (ClientPool) and answers each with its completion. */
export function serveOps(
  handle: (op: {
    f: string;
    id: string;
    key?: string;
    value?: unknown;
    payload?: string;
  }) => Promise<{ outcome: "ok" | "fail" | "info"; value?: unknown; error?: string }>,
): void {
  process.on("message", (m: { type?: string; n?: number; op?: never }) => {
    if (m?.type !== "op") return;
    handle(m.op!)
      .catch((e: Error) => ({ outcome: "info" as const, error: e.message }))
      .then((completion) => process.send?.({ type: "done", n: m.n, completion }));
  });
}
