import { describe, expect, it } from "vitest";
import { Recorder, decode, summarize } from "./histogram.js";

describe("latency recorder", () => {
  it("keeps percentiles per operation and survives an encode/decode round trip", () => {
    const r = new Recorder();
    for (let i = 1; i <= 1000; i++) r.record("op", i * 10);
    const s = r.summaries().op!;
    expect(s.count).toBe(1000);
    expect(s.p50Us).toBeGreaterThanOrEqual(4990);
    expect(s.p50Us).toBeLessThanOrEqual(5010);
    expect(s.maxUs).toBeGreaterThanOrEqual(9990);
    expect(summarize(decode(r.encoded().op!))).toEqual(s);
  });
});
