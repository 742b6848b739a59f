import { describe, expect, it } from "vitest";
import { expandSchedule } from "./schedule.js";
import { validateFault } from "./fault-spec.js";

const random = {
  random: {
    everyS: 5,
    jitterS: 2,
    holdS: [1, 3] as [number, number],
    faults: [
      { kind: "kill" as const, target: "relay" },
      { kind: "link-down" as const, service: "kafka" as const },
    ],
  },
};

describe("fault schedule", () => {
  it("is the same for the same seed, different for another, and ends inside the measurement", () => {
    const a = expandSchedule(random, 60, 42),
      b = expandSchedule(random, 60, 42),
      c = expandSchedule(random, 60, 43);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.length).toBeGreaterThan(5);
    for (const f of a) {
      expect(f.atS + f.forS).toBeLessThanOrEqual(60);
      expect(f.forS).toBeGreaterThanOrEqual(1);
    }
  });
  it("refuses a fixed fault that would outlast the measurement", () => {
    expect(() =>
      expandSchedule({ timeline: [{ atS: 9, forS: 2, fault: { kind: "kill", target: "relay" } }] }, 10, 1),
    ).toThrow(/must heal before quiesce/);
  });
  it("validation names what is allowed", () => {
    const ctx = {
      services: ["kafka", "postgres"],
      workers: ["relay"],
      failpoints: { relay: ["after-publish"] },
      serviceProcesses: true,
    };
    expect(() => validateFault({ kind: "kill", target: "nope" }, ctx)).toThrow(/allowed: kafka, postgres, relay/);
    expect(() => validateFault({ kind: "crash-at", target: "relay", failpoint: "x" }, ctx)).toThrow(
      /allowed: after-publish/,
    );
    expect(() =>
      validateFault({ kind: "toxic", service: "kafka", toxic: { type: "jitter" as never, attributes: {} } }, ctx),
    ).toThrow(/allowed: latency/);
    expect(() =>
      validateFault({ kind: "toxic", service: "kafka", toxic: { type: "latency", attributes: { latency: -1 } } }, ctx),
    ).toThrow(/attribute latency must be a number >= 0/);
    expect(() => validateFault({ kind: "kill", target: "relay", when: 3 }, ctx)).toThrow(
      /fault kill: unknown field "when"; allowed: target/,
    );
    expect(() => validateFault({ kind: "explode", target: "relay" }, ctx)).toThrow(
      /unknown fault kind "explode"; allowed: crash-at, kill, leave, link-down/,
    );
    expect(() => validateFault({ kind: "kill", target: "kafka" }, { ...ctx, serviceProcesses: false })).toThrow(
      /need an environment dgh started itself/,
    );
    expect(() => validateFault({ kind: "leave", target: "kafka" }, ctx)).toThrow(
      /not a worker of this strategy; workers: relay/,
    );
    expect(() => validateFault({ kind: "crash-at", target: "relay", failpoint: "after-publish" }, ctx)).not.toThrow();
  });
  it.each([
    [{ everyS: 0, holdS: [0, 0] }, /faults\.random\.everyS must be a number >= 0.1/],
    [{ everyS: 1e-300, holdS: [0, 0] }, /faults\.random\.everyS must be a number >= 0.1/],
    [{ everyS: 5, jitterS: 5, holdS: [1, 2] }, /jitterS must be >= 0 and < everyS/],
    [{ everyS: 5, holdS: [3, 1] }, /holdS must be \[min, max\]/],
    [{ everyS: 2, holdS: [1, 3] }, /holdS max \(3\) must be <= everyS \(2\)/],
    [{ everyS: 2, holdS: [1, 1], faults: [] }, /must list at least one fault/],
  ])("a random schedule that could not end or mean anything is refused: %j", (random, message) => {
    const spec = { random: { faults: [{ kind: "kill", target: "relay" }], ...random } } as never;
    expect(() => expandSchedule(spec, 60, 1)).toThrow(message);
  });
});
