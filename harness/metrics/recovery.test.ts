import { describe, expect, it } from "vitest";
import { recoveryTimes, steadyStateUs } from "./recovery.js";

const steady = (fromUs: number, n: number, e2eUs: number) =>
  Array.from({ length: n }, (_, i) => ({ atUs: fromUs + i * 100_000, e2eUs }));

describe("recovery time", () => {
  it("is the time from a fault's end until latency is back near the steady state before the fault", () => {
    const pts = [
      ...steady(0, 10, 10_000), // normal: 10 ms
      { atUs: 3_100_000, e2eUs: 2_000_000 },
      { atUs: 3_300_000, e2eUs: 900_000 }, // backlog drains after the fault
      ...steady(3_450_000, 10, 40_000), // back under max(50 ms, 3 × 10 ms), and stays
    ];
    expect(recoveryTimes(pts, [{ startUs: 1_000_000, endUs: 3_000_000 }])).toEqual([450]);
  });
  it("does not count one lucky delivery inside a backlog", () => {
    const pts = [
      ...steady(0, 10, 10_000),
      { atUs: 3_100_000, e2eUs: 20_000 }, // a fast one among slow ones
      ...steady(3_200_000, 10, 5_000_000),
      ...steady(5_000_000, 10, 12_000), // really back
    ];
    expect(recoveryTimes(pts, [{ startUs: 1_000_000, endUs: 3_000_000 }])).toEqual([2000]);
  });
  it("measures against the best second before the first fault: a run already falling behind is not recovered", () => {
    // Calm for a second, then latency climbs to seconds before the fault (a relay that cannot keep up), and after
    // it stays at 8 s. The pre-fault median (3.3 s) would call 8 s "recovered"; the steady state (20 ms) does not.
    const climbing = [
      ...steady(0, 10, 20_000),
      ...Array.from({ length: 30 }, (_, i) => ({ atUs: 1_000_000 + i * 100_000, e2eUs: 320_000 + i * 300_000 })),
    ];
    expect(steadyStateUs(climbing, 4_000_000)).toBe(20_000);
    const after = steady(6_000_000, 30, 8_000_000);
    expect(recoveryTimes([...climbing, ...after], [{ startUs: 4_000_000, endUs: 5_000_000 }])).toEqual([undefined]);
  });
  it("says undefined when latency never comes back, and nothing without faults", () => {
    expect(recoveryTimes([{ atUs: 5, e2eUs: 9e9 }], [{ startUs: 1, endUs: 2 }])).toEqual([undefined]);
    expect(recoveryTimes([], [])).toEqual([]);
  });
});
