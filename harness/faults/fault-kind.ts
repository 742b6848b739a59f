import type { Environment, ServiceControl } from "../env/environment.js";
import type { Worker } from "../workers/worker.js";

/**
 * One disturbance as data: `kind` names the plug-in in harness/faults/kinds/ that understands the rest.
 * Scenario files and conformance cases write these; the kind's `validate` checks every field.
 */
export interface FaultSpec {
  kind: string;
  [field: string]: unknown;
}

/** What a fault may be aimed at in this run, known before any service starts. */
export interface FaultContext {
  services: readonly string[];
  workers: readonly string[];
  failpoints: Readonly<Record<string, readonly string[]>>;
  /** Whether dgh can signal the service processes (it started them itself: native). */
  serviceProcesses: boolean;
}

/** What a fault acts on while the run goes. */
export interface FaultTarget {
  env: Environment;
  workers: ReadonlyMap<string, Worker>;
}

/** A fault in force: what proves it applied, and how it heals (returning what proves the heal). */
export interface Applied {
  proof: Record<string, unknown>;
  heal(): Promise<Record<string, unknown>>;
}

/** A fault that did not do what it is for (a failpoint never reached, a process that did not stop). */
export class FaultNotApplied extends Error {}

/**
 * A kind of fault: one file under harness/faults/kinds/. It parses its `--fault` flag, validates a spec for
 * this stack and strategy, names it, applies it with proof, and heals it.
 */
export interface FaultKind {
  kind: string;
  /** The KIND words of `--fault KIND:TARGET[:ARG]@AT+FOR` it takes (default: [kind]). */
  flagWords?: readonly string[];
  /** Help lines for `--fault`, each an example flag and what it does. */
  help: readonly string[];
  /** From the flag's word, TARGET and ARG; throws InputError with an example when it cannot. */
  parse(word: string, target: string, arg: string | undefined): FaultSpec;
  /** Throws InputError naming the field and what is allowed. */
  validate(spec: FaultSpec, ctx: FaultContext): void;
  describe(spec: FaultSpec): string;
  /** Applies the fault; throws (FaultNotApplied or any error) when it could not. */
  apply(spec: FaultSpec, target: FaultTarget): Promise<Applied>;
}

/** The service or worker a process fault is aimed at. */
export function processTarget(t: FaultTarget, name: string): ServiceControl {
  return t.workers.get(name) ?? t.env.control(name as never);
}
