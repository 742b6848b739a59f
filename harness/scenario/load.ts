import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { defaultWorkload, type Scenario, type WorkloadSpec } from "./scenario.js";
import { providers } from "../env/environment.js";
import { validateRandomSchedule } from "../faults/schedule.js";
import { InputError } from "../util/errors.js";

const fail = (msg: string): never => {
  throw new InputError(msg);
};

/** Seconds from a number or a string like "30s", "2m", "500ms". */
export function parseSeconds(key: string, v: unknown): number {
  if (typeof v === "number")
    return Number.isFinite(v) ? v : fail(`${key} must be a finite number of seconds, got ${v}`);
  const m = typeof v === "string" ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(v) : null;
  if (!m) return fail(`${key} must be a duration like 30, "30s", "2m" or "500ms", got ${JSON.stringify(v)}`);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
  return Number(m[1]) * unit;
}

function secs(obj: Record<string, unknown>, key: string, def: number, min = 0): number {
  const v = obj[key] === undefined ? def : parseSeconds(key, obj[key]);
  if (v < min) fail(`${key} must be at least ${min}s, got ${v}s`);
  return v;
}

function num(obj: Record<string, unknown>, key: string, def: number, { min = 0, integer = false } = {}): number {
  const v = obj[key] ?? def;
  if (typeof v !== "number" || !Number.isFinite(v)) fail(`${key} must be a number, got ${JSON.stringify(v)}`);
  if ((v as number) < min) fail(`${key} must be >= ${min}, got ${v}`);
  if (integer && !Number.isInteger(v)) fail(`${key} must be a whole number, got ${v}`);
  return v as number;
}

/** An optional field that must be a mapping (YAML) / object (JSON), not a list or a scalar. */
function mapping(obj: Record<string, unknown>, key: string, what: string, prefix = ""): Record<string, unknown> {
  const v = obj[key] ?? {};
  if (typeof v !== "object" || Array.isArray(v)) fail(`${prefix}${key} must be ${what}, got ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

const scenarioKeys = [
  "name",
  "pattern",
  "strategy",
  "impl",
  "implCmd",
  "options",
  "workload",
  "faults",
  "durationS",
  "warmupS",
  "quiesceTimeoutS",
  "baselineS",
  "opTimeoutMs",
  "seed",
  "environment",
];
const workloadKeys = Object.keys(defaultWorkload);

/** Fills defaults and checks every field, saying what is allowed. Pattern/strategy names are checked by the catalog. */
export function parseScenario(input: unknown): Scenario {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    fail("a scenario must be an object (JSON or YAML mapping)");
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!scenarioKeys.includes(k)) fail(`unknown scenario field "${k}"; allowed: ${scenarioKeys.join(", ")}`);
  if (typeof o.pattern !== "string" || !o.pattern) fail("pattern is required (e.g. outbox); `dgh list` shows them");
  if (typeof o.strategy !== "string" || !o.strategy) fail("strategy is required (e.g. polling); `dgh list` shows them");
  const w = mapping(o, "workload", "an object");
  for (const k of Object.keys(w))
    if (!workloadKeys.includes(k)) fail(`unknown workload field "${k}"; allowed: ${workloadKeys.join(", ")}`);
  const mode = w.mode ?? defaultWorkload.mode;
  if (mode !== "open" && mode !== "closed")
    fail(`workload.mode must be "open" or "closed", got ${JSON.stringify(mode)}`);
  const workload: WorkloadSpec = {
    mode: mode as "open" | "closed",
    rateOpsPerS: num(w, "rateOpsPerS", defaultWorkload.rateOpsPerS, { min: 0.1 }),
    concurrency: num(w, "concurrency", defaultWorkload.concurrency, { min: 1, integer: true }),
    keyCount: num(w, "keyCount", defaultWorkload.keyCount, { min: 1, integer: true }),
    keySkew: num(w, "keySkew", defaultWorkload.keySkew),
    payloadBytes: num(w, "payloadBytes", defaultWorkload.payloadBytes, { integer: true }),
    params: mapping(w, "params", "an object of pattern parameters", "workload."),
  };
  const environment = (o.environment ?? "auto") as Scenario["environment"];
  if (environment !== "auto" && !providers.includes(environment))
    fail(`environment must be auto or one of ${providers.join(", ")}, got "${environment}"`);
  const durationS = secs(o, "durationS", 20, 1);
  const faults = mapping(o, "faults", "an object with timeline and/or random") as Scenario["faults"];
  for (const k of Object.keys(faults))
    if (k !== "timeline" && k !== "random") fail(`unknown faults field "${k}"; allowed: timeline, random`);
  // Checked here, before the strategy's modules load, so a bad schedule is refused at once.
  if (faults.random !== undefined) validateRandomSchedule(faults.random);
  return {
    name: typeof o.name === "string" ? o.name : `${o.pattern}-${o.strategy}`,
    pattern: o.pattern as string,
    strategy: o.strategy as string,
    impl: typeof o.impl === "string" ? o.impl : undefined,
    implCmd: typeof o.implCmd === "string" ? o.implCmd : undefined,
    options: mapping(o, "options", "an object of strategy options (`dgh list` shows them)"),
    workload,
    faults,
    durationS,
    warmupS: secs(o, "warmupS", 2),
    quiesceTimeoutS: secs(o, "quiesceTimeoutS", 60, 1),
    baselineS: secs(o, "baselineS", 3),
    opTimeoutMs: num(o, "opTimeoutMs", 5000, { min: 1 }),
    seed: num(o, "seed", Math.floor(Math.random() * 2 ** 31), { integer: true }),
    environment,
  };
}

export function loadScenarioFile(file: string): Scenario {
  if (!fs.existsSync(file)) fail(`scenario file ${file} does not exist`);
  const text = fs.readFileSync(file, "utf8");
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(file) ? YAML.parse(text) : JSON.parse(text);
  } catch (e) {
    fail(`${path.basename(file)} is not valid ${/\.ya?ml$/i.test(file) ? "YAML" : "JSON"}: ${(e as Error).message}`);
  }
  try {
    return parseScenario(data);
  } catch (e) {
    throw new InputError(`${file}: ${(e as Error).message}`);
  }
}
