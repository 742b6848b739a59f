import { InputError } from "../util/errors.js";
import type { ServiceName } from "../env/environment.js";
import { toxicAttributes, type ToxicSpec } from "./toxics.js";

/** One disturbance. Its end heals it (toxic removed, link up, process resumed or restarted). */
export type FaultSpec =
  | { kind: "toxic"; service: ServiceName; toxic: ToxicSpec }
  | { kind: "link-down"; service: ServiceName }
  /** target: a service (kafka, postgres, redis, connect) or a worker of the strategy (e.g. relay). */
  | { kind: "kill" | "pause" | "restart"; target: string }
  /** A worker shuts down gracefully (SIGTERM: a consumer finishes its message and leaves its group), started again at the end. */
  | { kind: "leave"; target: string }
  /** The worker kills itself (SIGKILL) the next time it reaches this failpoint, e.g. relay after-publish. */
  | { kind: "crash-at"; target: string; failpoint: string }
  /** The worker stops itself (SIGSTOP) at this failpoint and is resumed (SIGCONT) at the end: a zombie caught mid-step. */
  | { kind: "pause-at"; target: string; failpoint: string };

export interface TimedFault { atS: number; forS: number; fault: FaultSpec }

/** A schedule: fixed entries, and/or "every mean±jitter s, one of these faults, held min–max s" drawn from the seed. */
export interface ScheduleSpec {
  timeline?: TimedFault[];
  random?: { everyS: number; jitterS?: number; holdS: [number, number]; faults: FaultSpec[] };
}

export function faultName(f: FaultSpec): string {
  switch (f.kind) {
    case "toxic": return `${f.toxic.type}(${Object.entries(f.toxic.attributes).map(([k, v]) => `${k}=${v}`).join(",")}) on ${f.service} ${f.toxic.stream ?? "downstream"}`;
    case "link-down": return `link down: ${f.service}`;
    case "crash-at": return `crash ${f.target} at ${f.failpoint}`;
    case "pause-at": return `pause ${f.target} at ${f.failpoint}`;
    default: return `${f.kind} ${f.target}`;
  }
}

export interface FaultContext {
  services: readonly string[];
  workers: readonly string[];
  failpoints: Readonly<Record<string, readonly string[]>>;
}

/** Says what is wrong with a fault for this stack and strategy, and what would be allowed. */
export function validateFault(f: FaultSpec, ctx: FaultContext): void {
  const services = ctx.services.join(", ");
  const targets = [...ctx.services, ...ctx.workers].join(", ");
  switch (f.kind) {
    case "toxic":
    case "link-down":
      if (!["kafka", "postgres", "redis"].includes(f.service)) throw new InputError(`fault ${f.kind}: no proxy for "${f.service}"; proxied services: kafka, postgres, redis`);
      if (f.kind === "toxic") {
        if (!(f.toxic.type in toxicAttributes)) throw new InputError(`unknown toxic "${f.toxic.type}"; allowed: ${Object.keys(toxicAttributes).join(", ")}`);
        if (f.toxic.stream && !["upstream", "downstream"].includes(f.toxic.stream)) throw new InputError(`toxic stream must be upstream or downstream, got "${f.toxic.stream}"`);
      }
      return;
    case "kill": case "pause": case "restart":
      if (![...ctx.services, ...ctx.workers].includes(f.target)) throw new InputError(`fault ${f.kind}: unknown target "${f.target}"; allowed: ${targets}`);
      return;
    case "leave":
      if (!ctx.workers.includes(f.target)) throw new InputError(`fault leave: "${f.target}" is not a worker of this strategy; workers: ${ctx.workers.join(", ") || "none"}`);
      return;
    case "crash-at": case "pause-at": {
      const fps = ctx.failpoints[f.target];
      if (!fps) throw new InputError(`fault ${f.kind}: "${f.target}" is not a worker with failpoints; workers: ${ctx.workers.join(", ") || "none"}`);
      if (!fps.includes(f.failpoint)) throw new InputError(`fault ${f.kind}: ${f.target} has no failpoint "${f.failpoint}"; allowed: ${fps.join(", ")}`);
      return;
    }
    default:
      throw new InputError(`unknown fault kind "${(f as { kind: string }).kind}"; allowed: toxic, link-down, kill, pause, restart, leave, crash-at, pause-at (services: ${services})`);
  }
}
