import { defineConfig } from "vitest/config";

// Integration tests start real servers (JVMs among them) on a 2-core machine: one file at a time.
const shared = { fileParallelism: false, testTimeout: 120_000, hookTimeout: 180_000 };
/** Tests that start real services (or the CLI against them): everything else is a unit test. */
const integration = ["harness/env/**/*.test.ts", "harness/cli/**/*.test.ts", "suites/**/*.test.ts"];

export default defineConfig({
  test: {
    reporters: process.env.CI ? ["verbose"] : ["default"],
    projects: [
      // Unit tests first (seconds), then the real stack: the two groups never run at the same time.
      {
        test: {
          ...shared,
          name: "unit",
          include: ["harness/**/*.test.ts", "implementations/**/*.test.ts"],
          exclude: integration,
          sequence: { groupOrder: 0 },
        },
      },
      { test: { ...shared, name: "integration", include: integration, sequence: { groupOrder: 1 } } },
    ],
  },
});
