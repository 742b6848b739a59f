import fs from "node:fs";
import path from "node:path";
import { cmdline } from "../../util/proc-stats.js";
import { pidAlive } from "../../util/process.js";

/**
 * stack.json in a native stack's folder: who owns it and the server processes it started, rewritten whenever
 * a server (re)starts. A stack whose owner is gone (the harness was SIGKILLed) is an orphan: `dgh env gc`, and
 * every new native stack at start-up, stop its processes (only those whose command line is still ours).
 */
export interface StackFile {
  /** The process that started the stack; null for a stack held by `dgh env up` (its `down` ends it). */
  ownerPid: number | null;
  processes: { name: string; pid: number; cmd: string }[];
}

const fileIn = (dir: string) => path.join(dir, "stack.json");

export function writeStackFile(dir: string, stack: StackFile): void {
  fs.writeFileSync(`${fileIn(dir)}.tmp`, JSON.stringify(stack, null, 2));
  fs.renameSync(`${fileIn(dir)}.tmp`, fileIn(dir));
}

function readStackFile(dir: string): StackFile | undefined {
  try {
    return JSON.parse(fs.readFileSync(fileIn(dir), "utf8")) as StackFile;
  } catch {
    return undefined;
  }
}

/** Stops the processes of stacks under `root` whose owner is gone, and removes their folders. */
export async function gcStacks(
  root: string,
  log: (line: string) => void = () => {},
): Promise<{ dir: string; stopped: number }[]> {
  if (!fs.existsSync(root)) return [];
  const out: { dir: string; stopped: number }[] = [];
  for (const name of fs.readdirSync(root)) {
    const dir = path.join(root, name);
    const stack = readStackFile(dir);
    if (!stack || stack.ownerPid === null || pidAlive(stack.ownerPid)) continue;
    const ours = stack.processes.filter((p) => pidAlive(p.pid) && cmdline(p.pid) === p.cmd);
    for (const p of ours) {
      // A stopped (SIGSTOPped) process cannot die until it runs: SIGKILL does kill it, but resume it anyway.
      try {
        process.kill(p.pid, "SIGCONT");
        process.kill(p.pid, "SIGKILL");
      } catch {
        /* gone meanwhile */
      }
    }
    const deadline = Date.now() + 5000;
    while (ours.some((p) => pidAlive(p.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    fs.rmSync(dir, { recursive: true, force: true });
    log(
      `stopped an orphaned stack (owner pid ${stack.ownerPid} is gone): ${ours.map((p) => `${p.name} ${p.pid}`).join(", ") || "no process left"}; removed ${dir}`,
    );
    out.push({ dir, stopped: ours.length });
  }
  return out;
}
