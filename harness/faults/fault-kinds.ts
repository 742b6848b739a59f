import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { InputError } from "../util/errors.js";
import type { FaultContext, FaultKind, FaultSpec } from "./fault-kind.js";

/**
 * Every fault kind, found by file: harness/faults/kinds/<kind>.ts (default export FaultKind). Adding a kind is
 * adding a file; the flag parser, the help text, validation and the nemesis all read from here.
 */
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "kinds");
const files = fs
  .readdirSync(dir)
  .filter((f) => /^[a-z-]+\.ts$/.test(f) && !f.endsWith(".test.ts"))
  .sort();
export const faultKinds: readonly FaultKind[] = await Promise.all(
  files.map(async (f) => ((await import(pathToFileURL(path.join(dir, f)).href)) as { default: FaultKind }).default),
);

export const faultKindNames = faultKinds.map((k) => k.kind);

export function faultKind(spec: FaultSpec): FaultKind {
  if (typeof spec !== "object" || spec === null)
    throw new InputError(`a fault must be an object with a kind; kinds: ${faultKindNames.join(", ")}`);
  const k = faultKinds.find((x) => x.kind === spec.kind);
  if (!k)
    throw new InputError(`unknown fault kind ${JSON.stringify(spec.kind)}; allowed: ${faultKindNames.join(", ")}`);
  return k;
}

/** Says what is wrong with a fault for this stack and strategy, and what would be allowed. */
export function validateFault(spec: FaultSpec, ctx: FaultContext): void {
  faultKind(spec).validate(spec, ctx);
}

/** The fault's name in histories and reports, e.g. "crash relay at after-publish". */
export function faultName(spec: FaultSpec): string {
  return faultKind(spec).describe(spec);
}

/** The kind whose flag word this is (kill, latency, crash-at, …). */
export function faultKindForWord(word: string): FaultKind | undefined {
  return faultKinds.find((k) => (k.flagWords ?? [k.kind]).includes(word));
}
