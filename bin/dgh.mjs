#!/usr/bin/env node
// The dgh command: registers tsx from dgh's own dependencies (so it runs from any folder, and as `npx dgh` in a
// project that depends on dgh), then runs the CLI's TypeScript directly (no build step).
await import("tsx");
await import("../harness/cli/main.ts");
