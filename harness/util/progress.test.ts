import { describe, expect, it, vi } from "vitest";
import { Progress, duration } from "./progress.js";

describe("progress of multi-run work", () => {
  it("says which step of how many, the time spent, and an estimate once one step has taken time", () => {
    vi.useFakeTimers();
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const p = new Progress("bench", 3);
    expect(p.step("a")).toBe("[bench] 1/3 (0s in): a");
    vi.advanceTimersByTime(20_000);
    expect(p.step("b")).toBe("[bench] 2/3 (20s in ~40s left): b");
    err.mockRestore();
    vi.useRealTimers();
  });
  it("writes durations as a person reads them", () => {
    expect(duration(4_000)).toBe("4s");
    expect(duration(75_000)).toBe("1m15s");
  });
});
