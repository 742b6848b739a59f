import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../../harness/env/stack-paths.js";
import { loadManifest } from "../../harness/service/manifest.js";

/** The black-box examples (examples/<name>/dgh-service.yaml) that implement `pattern`: judged like the built-ins. */
export function exampleServices(pattern: string): string[] {
  const dir = path.join(repoRoot, "examples");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((d) => path.join(dir, d, "dgh-service.yaml"))
    .filter((f) => fs.existsSync(f) && loadManifest(f).pattern === pattern);
}
