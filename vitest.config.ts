import { defineConfig } from "vitest/config";

// Integration tests start real servers (JVMs among them) on a 2-core machine: one file at a time.
export default defineConfig({
  test: {
    include: ["harness/**/*.test.ts", "implementations/**/*.test.ts", "suites/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: process.env.CI ? ["verbose"] : ["default"],
  },
});
