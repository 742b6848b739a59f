import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { repoRoot } from "../../harness/env/stack-paths.js";

/**
 * The black-box examples (examples/<name>/dgh-service.yaml) that implement `pattern`: judged like the built-ins.
 * Only the pattern is read here; loading the strategy checks the rest (a program not built is a clear error there).
 */
export function exampleServices(pattern: string): string[] {
  const dir = path.join(repoRoot, "examples");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((d) => path.join(dir, d, "dgh-service.yaml"))
    .filter(
      (f) => fs.existsSync(f) && (YAML.parse(fs.readFileSync(f, "utf8")) as { pattern?: string }).pattern === pattern,
    );
}
