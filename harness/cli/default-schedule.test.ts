import { describe, expect, it } from "vitest";
import { buildScenario } from "./run-command.js";

// `dgh run` without --fault: the strategy's first case, or its pattern's first profile case (no services start).
describe("dgh run's default schedule", () => {
  it("is a control's own first case, so it fails out of the box", async () => {
    const s = await buildScenario({ pattern: "dlq", strategy: "commit-before-dlq-write", faults: [], options: [] });
    expect(s.faults?.timeline?.map((t) => t.fault.failpoint)).toEqual(["before-dlq-write"]);
  });
  it("is the pattern's first profile case for a strategy with no cases of its own", async () => {
    const s = await buildScenario({ pattern: "dlq", strategy: "blocking-retry", faults: [], options: [] });
    expect(s.faults?.timeline?.map((t) => t.fault.kind)).toEqual(["link-down"]);
  });
  it("is nothing with --no-faults", async () => {
    const s = await buildScenario({
      pattern: "dlq",
      strategy: "blocking-retry",
      faults: [],
      options: [],
      noFaults: true,
    });
    expect(s.faults?.timeline ?? []).toEqual([]);
  });
});
