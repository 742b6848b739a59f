import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { anomalyNames, type Claims } from "../checkers/claims.js";
import type { AnomalyName } from "../checkers/types.js";
import type { TimedFault } from "../faults/fault-spec.js";
import type { ConformanceCase } from "../run/contracts.js";
import { parseFaultFlag } from "../scenario/fault-flag.js";
import { InputError } from "../util/errors.js";

/**
 * A black-box service's manifest (dgh-service.yaml): which pattern it implements, what it claims, the programs
 * it runs as workers and the failpoints each declares, and optionally cases of its own. Checked whole before any
 * service starts; every mistake is an InputError naming the field.
 */
export interface ServiceManifest {
  file: string;
  /** The manifest's folder: relative commands are found, and run, from here. */
  dir: string;
  pattern: string;
  name: string;
  description: string;
  claims: Claims;
  control?: { expectedAnomalies: AnomalyName[] };
  quietMs?: number;
  workers: Record<string, ServiceWorker>;
  conformance: ConformanceCase[];
}

export interface ServiceWorker {
  argv: string[];
  failpoints: string[];
  instances: number;
}

const claimValues: Record<keyof Claims, readonly string[]> = {
  delivery: ["at-most-once", "at-least-once", "exactly-once"],
  effects: ["exactly-once"],
  ordering: ["per-key"],
  state: ["consistent"],
  sagas: ["atomic"],
  retries: ["declared-backoff"],
  reads: ["monotonic"],
};
const topKeys = ["pattern", "name", "description", "claims", "control", "quietMs", "workers", "conformance"];
const workerKeys = ["command", "failpoints", "instances"];
const caseKeys = ["name", "faults", "durationS", "workload", "expectAnomalies", "expectFigures", "tier"];

export function isManifestFile(file: string): boolean {
  return /\.(ya?ml|json)$/.test(file);
}

/** Reads and checks a manifest; `cmd` replaces the command of its only worker (`--impl-cmd`). */
export function loadManifest(file: string, cmd?: string): ServiceManifest {
  const abs = path.resolve(file);
  const where = (field: string) => `${file}: ${field}`;
  const fail = (field: string, msg: string): never => {
    throw new InputError(`${where(field)} ${msg} (see harness/workers/PROTOCOL.md)`);
  };
  if (!fs.existsSync(abs)) throw new InputError(`--impl ${file}: no such file`);
  let raw: unknown;
  try {
    raw = YAML.parse(fs.readFileSync(abs, "utf8"));
  } catch (e) {
    throw new InputError(`${file} is not valid YAML/JSON: ${(e as Error).message}`);
  }
  const m = object(raw, file, fail);
  unknownKeys(m, topKeys, "", fail);
  const dir = path.dirname(abs);
  const text = (k: string, re?: RegExp) => {
    const v = m[k];
    if (typeof v !== "string" || !v.trim()) return fail(k, "must be a non-empty string");
    if (re && !re.test(v)) return fail(k, `must match ${re} (it names run folders), got ${JSON.stringify(v)}`);
    return v as string;
  };
  const workersRaw = object(m.workers, "workers", fail);
  const names = Object.keys(workersRaw);
  if (!names.length) fail("workers", "must name at least one worker, e.g. relay: { command: ./relay }");
  if (cmd !== undefined && names.length !== 1)
    fail("workers", `has ${names.length} workers: --impl-cmd can replace the command of a manifest with one`);
  const workers: Record<string, ServiceWorker> = {};
  for (const name of names) {
    if (!/^[a-z][a-z0-9]*$/.test(name)) fail(`workers.${name}`, "must be a lower-case word (faults target it by name)");
    const w = object(workersRaw[name], `workers.${name}`, fail);
    unknownKeys(w, workerKeys, `workers.${name}.`, fail);
    const command = cmd ?? w.command;
    const argv = typeof command === "string" ? splitCommand(command) : command;
    if (!Array.isArray(argv) || !argv.length || argv.some((a) => typeof a !== "string"))
      fail(`workers.${name}.command`, "must be a command line (a string or a list of strings)");
    const instances = w.instances ?? 1;
    if (!Number.isInteger(instances) || (instances as number) < 1 || (instances as number) > 8)
      fail(`workers.${name}.instances`, `must be a whole number from 1 to 8, got ${JSON.stringify(instances)}`);
    const failpoints = w.failpoints ?? [];
    if (!Array.isArray(failpoints) || failpoints.some((f) => typeof f !== "string" || !/^[a-z][a-z0-9-]*$/.test(f)))
      fail(`workers.${name}.failpoints`, "must be a list of names like after-publish");
    workers[name] = {
      argv: resolveProgram(argv as string[], dir, where(`workers.${name}.command`)),
      failpoints: failpoints as string[],
      instances: instances as number,
    };
  }
  return {
    file: abs,
    dir,
    pattern: text("pattern"),
    name: text("name", /^[a-z0-9][a-z0-9-]*$/),
    description: typeof m.description === "string" ? m.description : `a service run from ${file}`,
    claims: claims(m.claims, fail),
    ...(m.control !== undefined ? { control: { expectedAnomalies: anomalies(m.control, "control", fail) } } : {}),
    ...(m.quietMs !== undefined ? { quietMs: positive(m.quietMs, "quietMs", fail) } : {}),
    workers,
    conformance: cases(m.conformance, fail),
  };
}

/** A command line split into words, with "…" and '…' keeping spaces: no shell runs it, so its pid is the program's. */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

/** The program as an absolute path: relative to the manifest when it has a slash, else from PATH. */
function resolveProgram(argv: string[], dir: string, where: string): string[] {
  const [program, ...args] = argv as [string, ...string[]];
  const candidates = program.includes("/")
    ? [path.resolve(dir, program)]
    : (process.env.PATH ?? "").split(":").map((p) => path.join(p, program));
  const found = candidates.find((c) => {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return fs.statSync(c).isFile();
    } catch {
      return false;
    }
  });
  if (!found)
    throw new InputError(
      `${where}: ${program} is not an executable file${program.includes("/") ? ` (looked at ${candidates[0]}; build it first?)` : " on PATH"}`,
    );
  return [found, ...args];
}

type Fail = (field: string, msg: string) => never;

function object(v: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return fail(field, "must be a mapping");
  return v as Record<string, unknown>;
}

function unknownKeys(o: Record<string, unknown>, allowed: string[], prefix: string, fail: Fail): void {
  for (const k of Object.keys(o))
    if (!allowed.includes(k)) fail(`${prefix}${k}`, `is not a manifest field; allowed: ${allowed.join(", ")}`);
}

function positive(v: unknown, field: string, fail: Fail): number {
  if (typeof v !== "number" || !(v > 0)) fail(field, `must be a positive number, got ${JSON.stringify(v)}`);
  return v as number;
}

function claims(v: unknown, fail: Fail): Claims {
  const c = object(v, "claims", fail);
  for (const [k, value] of Object.entries(c)) {
    const allowed = claimValues[k as keyof Claims];
    if (!allowed) fail(`claims.${k}`, `is not a claim; claims: ${Object.keys(claimValues).join(", ")}`);
    if (!allowed!.includes(value as string))
      fail(`claims.${k}`, `must be one of ${allowed!.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return c as Claims;
}

function anomalies(v: unknown, field: string, fail: Fail): AnomalyName[] {
  const list = Array.isArray(v) ? v : (object(v, field, fail).expectedAnomalies as unknown);
  if (!Array.isArray(list) || !list.length || list.some((a) => !anomalyNames.includes(a as AnomalyName)))
    fail(field, `must list anomalies from: ${anomalyNames.join(", ")}`);
  return list as AnomalyName[];
}

function cases(v: unknown, fail: Fail): ConformanceCase[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return fail("conformance", "must be a list of cases");
  return v.map((raw, i) => {
    const field = `conformance[${i}]`;
    const c = object(raw, field, fail);
    unknownKeys(c, caseKeys, `${field}.`, fail);
    if (typeof c.name !== "string" || !c.name) fail(`${field}.name`, "must be a non-empty string");
    const faults = (Array.isArray(c.faults) ? c.faults : fail(`${field}.faults`, "must be a list")).map((f) =>
      typeof f === "string" ? parseFaultFlag(f) : (f as TimedFault),
    );
    return {
      name: c.name as string,
      faults,
      ...(c.durationS !== undefined ? { durationS: positive(c.durationS, `${field}.durationS`, fail) } : {}),
      ...(c.workload !== undefined ? { workload: object(c.workload, `${field}.workload`, fail) } : {}),
      ...(c.expectAnomalies !== undefined
        ? { expectAnomalies: anomalies(c.expectAnomalies, `${field}.expectAnomalies`, fail) }
        : {}),
      ...(c.expectFigures !== undefined
        ? { expectFigures: object(c.expectFigures, `${field}.expectFigures`, fail) as Record<string, number> }
        : {}),
      ...(c.tier === "full" ? { tier: "full" as const } : {}),
    };
  });
}
