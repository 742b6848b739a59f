import { InputError } from "../util/errors.js";
import type { FaultContext, FaultSpec } from "./fault-kind.js";

/** Field checks every fault kind shares; each message names the kind, the field and what is allowed. */

export function onlyFields(spec: FaultSpec, allowed: readonly string[]): void {
  for (const k of Object.keys(spec)) {
    if (k !== "kind" && !allowed.includes(k))
      throw new InputError(`fault ${spec.kind}: unknown field "${k}"; allowed: ${allowed.join(", ")}`);
  }
}

export function stringField(spec: FaultSpec, field: string): string {
  const v = spec[field];
  if (typeof v !== "string" || !v)
    throw new InputError(`fault ${spec.kind}: "${field}" must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

/** A service whose process dgh controls, or a worker of the strategy. */
export function processTargetField(spec: FaultSpec, ctx: FaultContext): string {
  onlyFields(spec, ["target"]);
  const target = stringField(spec, "target");
  if (ctx.workers.includes(target)) return target;
  if (!ctx.services.includes(target)) {
    throw new InputError(
      `fault ${spec.kind}: unknown target "${target}"; allowed: ${[...ctx.services, ...ctx.workers].join(", ")}`,
    );
  }
  if (!ctx.serviceProcesses) {
    throw new InputError(
      `fault ${spec.kind}:${target}: process faults on services need an environment dgh started itself (--env native); workers of this strategy: ${ctx.workers.join(", ") || "none"}`,
    );
  }
  return target;
}

export function workerField(spec: FaultSpec, ctx: FaultContext, extra: readonly string[] = []): string {
  onlyFields(spec, ["target", ...extra]);
  const target = stringField(spec, "target");
  if (!ctx.workers.includes(target))
    throw new InputError(
      `fault ${spec.kind}: "${target}" is not a worker of this strategy; workers: ${ctx.workers.join(", ") || "none"}`,
    );
  return target;
}

export const proxiedServices = ["kafka", "postgres", "redis"] as const;

export function proxiedServiceField(spec: FaultSpec, extra: readonly string[] = []): string {
  onlyFields(spec, ["service", ...extra]);
  const service = stringField(spec, "service");
  if (!(proxiedServices as readonly string[]).includes(service))
    throw new InputError(
      `fault ${spec.kind}: no proxy for "${service}"; proxied services: ${proxiedServices.join(", ")}`,
    );
  return service;
}

/** A failpoint the worker declares. */
export function failpointField(spec: FaultSpec, ctx: FaultContext): { target: string; failpoint: string } {
  const target = workerField(spec, ctx, ["failpoint"]);
  const failpoint = stringField(spec, "failpoint");
  const fps = ctx.failpoints[target] ?? [];
  if (!fps.includes(failpoint))
    throw new InputError(
      `fault ${spec.kind}: ${target} has no failpoint "${failpoint}"; allowed: ${fps.join(", ") || "none"}`,
    );
  return { target, failpoint };
}
