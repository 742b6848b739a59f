import { sleep } from "../../harness/util/wait.js";

/** Polls until `values()` has at least `n` items or `timeoutMs` passes; returns what it has either way. */
export async function collect<T>(values: () => T[], n: number, timeoutMs = 20_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  while (values().length < n && Date.now() < deadline) await sleep(50);
  return values();
}
