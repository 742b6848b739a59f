import { describe, expect, it } from "vitest";
import { recoveryTimes } from "./recovery.js";

describe("recovery time", () => {
  it("is the time from a fault's end until latency is back near its pre-fault median", () => {
    const pts = [
      ...Array.from({ length: 10 }, (_, i) => ({ atUs: i * 100_000, e2eUs: 10_000 })), // normal: 10 ms
      { atUs: 3_100_000, e2eUs: 2_000_000 },
      { atUs: 3_300_000, e2eUs: 900_000 }, // backlog drains after the fault
      { atUs: 3_450_000, e2eUs: 40_000 }, // back under max(50 ms, 3 × 10 ms)
    ];
    expect(recoveryTimes(pts, [{ startUs: 1_000_000, endUs: 3_000_000 }])).toEqual([450]);
  });
  it("says undefined when latency never comes back, and nothing without faults", () => {
    expect(recoveryTimes([{ atUs: 5, e2eUs: 9e9 }], [{ startUs: 1, endUs: 2 }])).toEqual([undefined]);
    expect(recoveryTimes([], [])).toEqual([]);
  });
});
