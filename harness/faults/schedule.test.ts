import { describe, expect, it } from "vitest";
import { expandSchedule } from "./schedule.js";
import { validateFault } from "./fault-spec.js";

const random = { random: { everyS: 5, jitterS: 2, holdS: [1, 3] as [number, number], faults: [{ kind: "kill" as const, target: "relay" }, { kind: "link-down" as const, service: "kafka" as const }] } };

describe("fault schedule", () => {
  it("is the same for the same seed, different for another, and ends inside the measurement", () => {
    const a = expandSchedule(random, 60, 42), b = expandSchedule(random, 60, 42), c = expandSchedule(random, 60, 43);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.length).toBeGreaterThan(5);
    for (const f of a) { expect(f.atS + f.forS).toBeLessThanOrEqual(60); expect(f.forS).toBeGreaterThanOrEqual(1); }
  });
  it("refuses a fixed fault that would outlast the measurement", () => {
    expect(() => expandSchedule({ timeline: [{ atS: 9, forS: 2, fault: { kind: "kill", target: "relay" } }] }, 10, 1)).toThrow(/must heal before quiesce/);
  });
  it("validation names what is allowed", () => {
    const ctx = { services: ["kafka", "postgres"], workers: ["relay"], failpoints: { relay: ["after-publish"] }, serviceProcesses: true };
    expect(() => validateFault({ kind: "kill", target: "nope" }, ctx)).toThrow(/allowed: kafka, postgres, relay/);
    expect(() => validateFault({ kind: "crash-at", target: "relay", failpoint: "x" }, ctx)).toThrow(/allowed: after-publish/);
    expect(() => validateFault({ kind: "toxic", service: "kafka", toxic: { type: "jitter" as never, attributes: {} } }, ctx)).toThrow(/allowed: latency/);
    expect(() => validateFault({ kind: "leave", target: "kafka" }, ctx)).toThrow(/not a worker of this strategy; workers: relay/);
    expect(() => validateFault({ kind: "crash-at", target: "relay", failpoint: "after-publish" }, ctx)).not.toThrow();
  });
});
