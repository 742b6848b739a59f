import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { bundleWorkflowCode } from "@temporalio/worker";
import { dghHome } from "../../../harness/env/stack-paths.js";

const workflowsPath = path.join(path.dirname(fileURLToPath(import.meta.url)), "workflows.ts");

/**
 * The workflow code bundled once and kept in .dgh/cache, named by a hash of the source and the SDK's version: a
 * worker given the bundle starts in a fraction of the time (bundling cost ~3.5 s of CPU at every start, and crash
 * cases start the worker twice).
 */
export async function workflowBundle(): Promise<string> {
  const sdk = createRequire(import.meta.url)("@temporalio/workflow/package.json") as { version: string };
  const hash = crypto
    .createHash("sha256")
    .update(fs.readFileSync(workflowsPath))
    .update(sdk.version)
    .digest("hex")
    .slice(0, 16);
  const file = path.join(dghHome, "cache", "temporal", `workflows-${hash}.js`);
  if (fs.existsSync(file)) return file;
  const { code } = await bundleWorkflowCode({ workflowsPath });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, file); // whole or not at all: a crash mid-write leaves no half bundle behind
  return file;
}
