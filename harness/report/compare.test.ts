import { describe, expect, it } from "vitest";
import { varyingSettings } from "./compare.js";
import type { RunRecord } from "../record/run-record.js";

const run = (options: Record<string, unknown>, workload: Record<string, unknown>) =>
  ({
    scenario: { options, workload: { mode: "open", rateOpsPerS: 100, params: {}, ...workload } },
  }) as unknown as RunRecord;

describe("varyingSettings", () => {
  it("names only what differs between the runs, options and workload alike", () => {
    const runs = [
      run({ pollIntervalMs: 10 }, { concurrency: 4 }),
      run({ pollIntervalMs: 500 }, { concurrency: 4 }),
      run({}, { concurrency: 16, params: { redeliverRate: 0.3 } }),
    ];
    expect(varyingSettings(runs)).toEqual([
      "pollIntervalMs=10 concurrency=4",
      "pollIntervalMs=500 concurrency=4",
      "concurrency=16 redeliverRate=0.3",
    ]);
  });
  it("says nothing when every run has the same settings", () => {
    expect(varyingSettings([run({ a: 1 }, {}), run({ a: 1 }, {})])).toEqual(["", ""]);
  });
});
