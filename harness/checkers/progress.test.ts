import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "../history/events.js";
import { progress } from "./progress.js";

/** n ops invoked from `fromUs`, 10 ms apart, each completing with `outcome`. */
function ops(n: number, fromUs: number, outcome: "ok" | "fail" | "info", first = 0): HistoryEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const t = fromUs + i * 10_000,
      op = first + i;
    return [
      { type: "invoke", t, op, f: "w", id: `x${op}` },
      {
        type: outcome,
        t: t + 1000,
        op,
        f: "w",
        id: `x${op}`,
        ...(outcome === "ok" ? {} : { error: "conflict, gave up" }),
      },
    ] as HistoryEvent[];
  }).flat();
}
const fault = (id: number, startUs: number, endUs: number): HistoryEvent[] => [
  { type: "fault-start", t: startUs, id, fault: "link down: kafka", detail: {} },
  { type: "fault-end", t: endUs, id, fault: "link down: kafka", outcome: "applied", proof: {} },
];

describe("progress (no-progress)", () => {
  it("a strategy that refuses every operation is named, with its errors", () => {
    const v = progress().check(ops(100, 0, "fail"), {});
    expect(v.valid).toBe(false);
    expect(v.anomalies[0]).toMatchObject({
      name: "no-progress",
      evidence: [{ window: "no fault in force", ok: 0, refused: 100, firstErrors: ["conflict, gave up"] }],
    });
  });
  it("a system that completes nothing at all is named, even if every op only timed out", () => {
    const v = progress().check(ops(50, 0, "info"), {});
    expect(v.anomalies[0]).toMatchObject({ evidence: [{ ok: 0, refused: 0, unknown: 50 }] });
  });
  it("timeouts are no answer: a load generator too busy to get its acks is not a strategy refusing work", () => {
    // Seen at load 15 on 2 cores: many sends timed out, none was refused.
    const h = [...ops(60, 0, "ok"), ...ops(40, 600_000, "info", 60)];
    expect(progress().check(h, {}).valid).toBe(true);
  });
  it("when most ops with no fault timed out, the few answers cannot speak for them: unknown, not PASS", () => {
    // Seen: the stale-cache control at load 16 answered 30 of 59 ops (17 ok, before its flaw set in) and passed.
    const h = [...ops(17, 0, "ok"), ...ops(13, 170_000, "fail", 17), ...ops(32, 300_000, "info", 30)];
    const v = progress().check(h, {});
    expect(v.valid).toBe("unknown");
    expect(v.error).toMatch(/32 of 62 ops with no fault in force timed out/);
  });
  it("refusals against answers: 60 refused of 100 answered is below the floor, however many timed out", () => {
    const h = [...ops(40, 0, "ok"), ...ops(60, 400_000, "fail", 40), ...ops(300, 1_000_000, "info", 100)];
    expect(progress().check(h, {}).anomalies[0]).toMatchObject({ evidence: [{ ok: 40, refused: 60, unknown: 300 }] });
  });
  it("a system that never comes back after the faults healed is named even if it did well before", () => {
    const h = [...ops(100, 0, "ok"), ...fault(0, 1_000_000, 2_000_000), ...ops(250, 2_100_000, "fail", 100)];
    const v = progress().check(h, {});
    expect(v.anomalies[0]!.evidence).toContainEqual(
      // Invoked more than 2 s after the heal (4.0 s): ops 191–249.
      expect.objectContaining({ window: "after the faults healed", refused: 59 }),
    );
  });
  it("after the heal, nothing but timeouts cannot be told apart from a stuck load generator: unknown, not FAIL", () => {
    const h = [...ops(100, 0, "ok"), ...fault(0, 1_000_000, 2_000_000), ...ops(250, 2_100_000, "info", 100)];
    const v = progress().check(h, {});
    expect(v.valid).toBe("unknown");
    expect(v.anomalies).toEqual([]);
    expect(v.error).toMatch(/no op got an answer after the faults healed \(59 timed out/);
  });
  it("a backlog that drains after the heal is progress, even if the last ops sent time out", () => {
    const late: HistoryEvent[] = [
      { type: "invoke", t: 1_500_000, op: 900, f: "w", id: "late" },
      { type: "ok", t: 4_500_000, op: 900, f: "w", id: "late" },
    ];
    const h = [...ops(100, 0, "ok"), ...fault(0, 1_000_000, 2_000_000), ...late, ...ops(30, 4_100_000, "info", 100)];
    expect(progress().check(h, {}).valid).toBe(true);
  });
  it("ops in the 2 s after a heal are recovery, not judged (a producer reconnecting after a broker restart)", () => {
    const h = [...ops(100, 0, "ok"), ...fault(0, 1_000_000, 2_000_000), ...ops(30, 2_100_000, "info", 100)];
    expect(progress().check(h, {}).valid).toBe(true);
  });
  it("failures inside a fault window are what faults do: no anomaly while the rest makes progress", () => {
    const h = [
      ...ops(100, 0, "ok"),
      ...fault(0, 1_000_000, 2_000_000),
      ...ops(100, 1_000_000, "fail", 100),
      ...ops(250, 2_100_000, "ok", 200),
    ];
    expect(progress().check(h, {}).valid).toBe(true);
  });
  it("an op sent before a fault and answered inside it was answered under the fault, not in calm", () => {
    // Slow ops (1.5 s) sent in the second before a restart all fail when it begins.
    const slow = ops(100, 0, "fail", 100).map((e) => (e.type === "fail" ? { ...e, t: 1_500_000 + e.t } : e));
    const h = [...ops(60, 0, "ok"), ...slow, ...fault(0, 1_500_000, 3_000_000), ...ops(20, 5_100_000, "ok", 200)];
    expect(progress().check(h, {}).valid).toBe(true);
  });
  it("too few ops to judge, or warm-up ops, say nothing", () => {
    expect(progress().check(ops(10, 0, "fail"), {}).valid).toBe(true);
    const warm = ops(100, 0, "fail").map((e) => (e.type === "invoke" ? { ...e, warmup: true } : e));
    expect(progress().check(warm, {}).valid).toBe(true);
  });
  it("the floor is the pattern's", () => {
    const h = [...ops(60, 0, "ok"), ...ops(40, 600_000, "fail", 60)];
    expect(progress(0.5).check(h, {}).valid).toBe(true);
    expect(progress(0.7).check(h, {}).valid).toBe(false);
  });
});
