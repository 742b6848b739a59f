import fs from "node:fs";

/** A process as /proc sees it: the proof that a kill or a pause really happened. */
export function processState(pid: number | undefined): "running" | "stopped" | "gone" {
  if (!pid) return "gone";
  try {
    const state = fs.readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "")[0];
    // Z: a zombie has exited and waits to be reaped.
    return state === "T" || state === "t" ? "stopped" : state === "Z" || state === "X" ? "gone" : "running";
  } catch {
    return "gone";
  }
}
