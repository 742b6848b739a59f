import type { Completion, OpSpec } from "../run/contracts.js";
import type { Worker } from "./worker.js";

/**
 * Ops executed by client worker processes (writers, order services) instead of in the harness, so a fault can
 * SIGKILL a client between two steps of an op. Ops go round-robin to running workers over IPC; when a worker
 * dies with ops in flight, they complete as unknown (they may or may not have happened).
 */
export class ClientPool {
  private next = 0;
  private seq = 0;
  private pending = new Map<number, { worker: Worker; resolve: (c: Completion) => void }>();

  constructor(private workers: Worker[]) {
    for (const w of workers) {
      w.events.on("message", (m: { type?: string; n?: number; completion?: Completion }) => {
        if (m?.type !== "done" || m.n === undefined) return;
        const p = this.pending.get(m.n);
        if (p) {
          this.pending.delete(m.n);
          p.resolve(m.completion!);
        }
      });
      w.events.on("exit", () => {
        for (const [n, p] of this.pending)
          if (p.worker === w) {
            this.pending.delete(n);
            p.resolve({ outcome: "info", error: `client ${w.spec.name} died with the op in flight` });
          }
      });
    }
  }

  invoke(op: OpSpec): Promise<Completion> {
    for (let tries = 0; tries < this.workers.length; tries++) {
      const w = this.workers[this.next++ % this.workers.length]!;
      if (!w.running) continue;
      const n = this.seq++;
      return new Promise<Completion>((resolve) => {
        this.pending.set(n, { worker: w, resolve });
        w.send({ type: "op", n, op }, (e) => {
          // Not delivered: the client never saw the op, so it definitely did not happen.
          if (this.pending.delete(n))
            resolve({ outcome: "fail", error: `could not send to client ${w.spec.name}: ${e.message}` });
        });
      });
    }
    return Promise.resolve({ outcome: "fail", error: "no client process is running" }); // nothing was sent
  }
}
