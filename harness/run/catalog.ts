import { InputError } from "../util/errors.js";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../env/stack-paths.js";
import type { Pattern, Strategy } from "./contracts.js";
import { isManifestFile, loadManifest } from "../service/manifest.js";
import { serviceStrategy } from "../service/service-strategy.js";

/**
 * Patterns and strategies are found by folder: implementations/<pattern>/pattern.ts and
 * implementations/<pattern>/<strategy>/strategy.ts. Adding a strategy is adding a folder; no list to edit.
 */
export const implementationsDir = path.join(repoRoot, "implementations");

export function listPatterns(): string[] {
  if (!fs.existsSync(implementationsDir)) return [];
  return fs
    .readdirSync(implementationsDir)
    .filter((d) => fs.existsSync(path.join(implementationsDir, d, "pattern.ts")))
    .sort();
}

export function listStrategies(pattern: string): string[] {
  const dir = path.join(implementationsDir, pattern);
  return fs
    .readdirSync(dir)
    .filter((d) => fs.existsSync(path.join(dir, d, "strategy.ts")))
    .sort();
}

export async function loadPattern(name: string): Promise<Pattern> {
  const known = listPatterns();
  if (!known.includes(name))
    throw new InputError(`unknown pattern "${name}"; available: ${known.join(", ") || "none"}`);
  return ((await import(pathToFileURL(path.join(implementationsDir, name, "pattern.ts")).href)) as { default: Pattern })
    .default;
}

/**
 * A built-in strategy by name, a user's module given with --impl (its default export is a Strategy), or a
 * black-box service's manifest given with --impl (dgh-service.yaml; `implCmd` replaces its worker's command).
 */
export async function loadStrategy(pattern: string, name: string, impl?: string, implCmd?: string): Promise<Strategy> {
  if (impl && isManifestFile(impl)) return loadService(pattern, impl, implCmd);
  if (implCmd)
    throw new InputError("--impl-cmd goes with --impl <manifest>.yaml: the manifest says what the command claims");
  let file: string;
  if (impl) {
    file = path.resolve(impl);
    if (!fs.existsSync(file)) throw new InputError(`--impl ${impl}: no such file`);
  } else {
    if (!listPatterns().includes(pattern))
      throw new InputError(`unknown pattern "${pattern}"; available: ${listPatterns().join(", ") || "none"}`);
    const known = listStrategies(pattern);
    if (!known.includes(name))
      throw new InputError(`unknown strategy "${name}" for pattern ${pattern}; available: ${known.join(", ")}`);
    file = path.join(implementationsDir, pattern, name, "strategy.ts");
  }
  const mod = (await import(pathToFileURL(file).href)) as { default?: Strategy };
  const s = mod.default;
  if (!s || typeof s.start !== "function" || !s.claims)
    throw new InputError(
      `${file} must export default a Strategy ({ name, description, claims, start(ctx) }) — see implementations/README.md`,
    );
  return s;
}

async function loadService(pattern: string, file: string, implCmd?: string): Promise<Strategy> {
  const m = loadManifest(file, implCmd);
  if (m.pattern !== pattern)
    throw new InputError(`${file} implements pattern ${m.pattern}, not ${pattern}: give --pattern ${m.pattern}`);
  const host = (await loadPattern(pattern)).service;
  if (!host)
    throw new InputError(
      `pattern ${pattern} does not take black-box services yet (those that do: implementations/*/service-host.ts)`,
    );
  if (!m.workers[host.worker])
    throw new InputError(
      `${file}: workers must include "${host.worker}": the ${pattern} profile aims its faults at it (CONTRACT.md)`,
    );
  return serviceStrategy(m, host);
}
