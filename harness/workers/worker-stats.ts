import fs from "node:fs";
import path from "node:path";

/** Sums the stats files of every process (first start and restarts) of the workers whose name starts with `prefix`. */
export function sumWorkerStats(runDir: string, prefix: string): Record<string, number> {
  const dir = path.join(runDir, "workers");
  const total: Record<string, number> = {};
  if (!fs.existsSync(dir)) return total;
  for (const f of fs.readdirSync(dir)) {
    if (!f.startsWith(prefix) || !f.endsWith(".stats.json")) continue;
    try {
      for (const [k, v] of Object.entries(
        JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Record<string, number>,
      ))
        total[k] = (total[k] ?? 0) + v;
    } catch {
      /* a file cut short by a kill */
    }
  }
  return total;
}
