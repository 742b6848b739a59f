import { afterAll, beforeAll } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { NativeEnvironment } from "../../harness/env/native/native-environment.js";
import { repoRoot } from "../../harness/env/stack-paths.js";
import { folderStamp } from "../../harness/util/folder-stamp.js";

/**
 * The native stack a suite's cases share, started before the first case and stopped after the last, and the
 * folder that keeps every case's run (passing and failing alike: a path a failure prints must exist afterwards).
 * DGH_REPORTS_DIR/<suite>/ when set; otherwise reports/<time>-<suite>-suite/.
 */
export function suiteStack(suite: string): { env: () => NativeEnvironment; reports: string } {
  const stamp = folderStamp();
  const kept = process.env.DGH_REPORTS_DIR;
  const reports = kept ? path.join(kept, suite) : path.join(repoRoot, "reports", `${stamp}-${suite}-suite`);
  fs.mkdirSync(reports, { recursive: true });
  let env: NativeEnvironment | undefined;
  beforeAll(async () => {
    env = await NativeEnvironment.start({ connect: true });
  }, 300_000);
  afterAll(async () => {
    await env?.teardown();
  });
  return {
    env: () => {
      if (!env) throw new Error("the suite's stack is not started (suiteStack must be called at the top of the file)");
      return env;
    },
    reports,
  };
}
