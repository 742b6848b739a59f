import fs from "node:fs";
import type { HistoryEvent } from "./events.js";

/** Reads a history file; a last line cut short by a crash is skipped, not fatal. */
export function readHistory(file: string): HistoryEvent[] {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const out: HistoryEvent[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as HistoryEvent);
    } catch (e) {
      if (i < lines.length - 1 && lines.slice(i + 1).some(Boolean))
        throw new Error(`${file}:${i + 1} is not JSON: ${(e as Error).message}`);
    }
  }
  return out;
}
