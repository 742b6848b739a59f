import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "../history/events.js";
import { backoffSchedule, deadLetterOutcomes, declaredWaits, partitionProgress } from "./dead-letters.js";
import type { Backoff, DeadLetter, Effect, Observation } from "./types.js";

// Synthetic runs of the dlq pattern: for every anomaly these checkers name, one that has it and one that does not.
let t = 0;
const op = (n: number, id: string, f: "pay" | "poison", outcome: "ok" | "info" = "ok"): HistoryEvent[] => [
  { type: "invoke", t: t++, op: n, f, id, key: "customer-1", value: { amount: 10 } },
  { type: outcome, t: t++, op: n, f, id },
];
const history = [...op(0, "m1", "pay"), ...op(1, "m2", "poison"), ...op(2, "m3", "pay")];
const backoff: Backoff = { initialMs: 10, multiplier: 2, maxIntervalMs: 40, maxElapsedMs: 100 };
// Declared waits 10, 20, 40, 40: four retries, five attempts.
const attemptsAt = (gaps: number[]) => {
  const out = [{ atMs: 1000, ms: 2 }];
  for (const g of gaps) out.push({ atMs: out.at(-1)!.atMs + out.at(-1)!.ms + g, ms: 2 });
  return out;
};
const letter = (id: string, extra: Partial<DeadLetter> = {}): DeadLetter => ({
  id,
  key: "customer-1",
  topic: "payments",
  partition: 0,
  offset: "7",
  error: "amount must be positive",
  errorClass: "retryable",
  attempts: attemptsAt([10, 21, 41, 45]),
  ...extra,
});
const applied: Effect[] = [
  { id: "m1", amount: 10, via: "consumer" },
  { id: "m3", amount: 10, via: "consumer" },
];
const fine: Observation = { effects: applied, deadLetters: [letter("m2")], backoff };
const names = (c: typeof deadLetterOutcomes, obs: Partial<Observation>, h = history) =>
  c.check(h, { ...fine, ...obs }).anomalies.map((a) => a.name);

describe("dead-letter-outcomes", () => {
  it("passes when each message is applied or dead-lettered once, and counts them", () => {
    const v = deadLetterOutcomes.check(history, fine);
    expect(v.valid).toBe(true);
    expect(v.stats).toMatchObject({ messages: 3, applied: 2, deadLettered: 1, poisonDeadLettered: 1 });
  });
  it("names a message neither applied nor dead-lettered: lost", () => {
    expect(names(deadLetterOutcomes, { effects: [applied[0]!] })).toEqual(["lost"]);
  });
  it("does not expect an unacknowledged message", () => {
    const h = [...op(0, "m1", "pay"), ...op(1, "m2", "poison"), ...op(2, "m3", "pay", "info")];
    expect(names(deadLetterOutcomes, { effects: [applied[0]!] }, h)).toEqual([]);
  });
  it("names a message applied by the consumer and dead-lettered: processed-and-dead-lettered", () => {
    expect(names(deadLetterOutcomes, { deadLetters: [letter("m2"), letter("m3")] })).toEqual([
      "processed-and-dead-lettered",
    ]);
  });
  it("accepts a dead letter applied once by the reprocessor, and counts it", () => {
    const v = deadLetterOutcomes.check(history, {
      ...fine,
      effects: [applied[0]!, { id: "m3", via: "reprocess" }],
      deadLetters: [letter("m2"), letter("m3"), letter("m3")],
    });
    expect(v.valid).toBe(true);
    expect(v.stats).toMatchObject({ reprocessed: 1, healthyDeadLettered: 1, deadLetteredTwice: 1 });
  });
  it("names a message applied twice (the reprocessor not guarded): duplicate-effect", () => {
    const effects = [...applied, { id: "m3", via: "reprocess" }];
    expect(names(deadLetterOutcomes, { effects, deadLetters: [letter("m2"), letter("m3")] })).toEqual([
      "processed-and-dead-lettered",
      "duplicate-effect",
    ]);
  });
  it("names a poison message applied, and a dead letter without its origin: invariant-violation", () => {
    expect(names(deadLetterOutcomes, { effects: [...applied, { id: "m2" }], deadLetters: [] })).toEqual([
      "invariant-violation",
    ]);
    const v = deadLetterOutcomes.check(history, { ...fine, deadLetters: [letter("m2", { offset: undefined })] });
    expect(v.anomalies[0]).toMatchObject({ name: "invariant-violation", evidence: [{ missing: ["offset"] }] });
  });
});

describe("backoff-schedule", () => {
  it("declares exponential waits capped per wait and stopping at the budget", () => {
    expect(declaredWaits(backoff)).toEqual([10, 20, 40, 40]);
    // The configuration: 1 s, ×2, at most 60 s per wait, 5 min in all.
    const real = declaredWaits({ initialMs: 1000, multiplier: 2, maxIntervalMs: 60_000, maxElapsedMs: 300_000 });
    expect(real.slice(0, 7)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000]);
    expect(real.reduce((s, w) => s + w, 0)).toBeGreaterThanOrEqual(300_000);
  });
  it("passes retries that waited at least their declared time, and measures how late they were", () => {
    const v = backoffSchedule.check([], fine);
    expect(v.valid).toBe(true);
    expect(v.stats).toMatchObject({ declaredRetries: 4, waitsMeasured: 4, latestByMs: 5 });
  });
  it("names a retry that did not wait: backoff-violated", () => {
    const v = backoffSchedule.check([], {
      ...fine,
      deadLetters: [letter("m2", { attempts: attemptsAt([10, 1, 40, 40]) })],
    });
    expect(v.anomalies.map((a) => a.name)).toEqual(["backoff-violated"]);
    expect(v.anomalies[0]!.evidence[0]).toMatchObject({ retry: 2, waitedMs: 1, declaredMs: 20 });
  });
  it("names retries past the budget: backoff-violated", () => {
    const tooMany = letter("m2", { attempts: attemptsAt([10, 20, 40, 40, 40]) });
    expect(names(backoffSchedule, { deadLetters: [tooMany] })).toEqual(["backoff-violated"]);
  });
  it("names a retryable failure dead-lettered before the budget was spent: premature-dead-letter", () => {
    const early = letter("m3", { errorClass: "retryable", error: "connection refused", attempts: attemptsAt([0, 0]) });
    expect(names(backoffSchedule, { deadLetters: [letter("m2"), early] })).toEqual([
      "premature-dead-letter",
      "backoff-violated",
    ]);
  });
  it("does not hold a fatal error (never retried) to the schedule", () => {
    const fatal = letter("m2", { errorClass: "fatal", attempts: attemptsAt([]) });
    expect(names(backoffSchedule, { deadLetters: [fatal] })).toEqual([]);
  });
});

describe("partition-progress", () => {
  it("names a partition that stood still with messages behind it: stuck-partition", () => {
    const partitions = [
      { partition: 0, lag: 0, stillForMs: 30_000 },
      { partition: 1, lag: 12, stillForMs: 30_000, headOffset: 41 },
      { partition: 2, lag: 3, stillForMs: 200 },
    ];
    const v = partitionProgress.check([], { partitions });
    expect(v.anomalies.map((a) => a.name)).toEqual(["stuck-partition"]);
    expect(v.anomalies[0]!.evidence).toEqual([partitions[1]]);
    expect(partitionProgress.check([], { partitions: [partitions[0]!, partitions[2]!] }).valid).toBe(true);
  });
});
