import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseScenario } from "./load.js";
import { prepareRun } from "../run/prepare-run.js";
import { InputError } from "../util/errors.js";
import { listPatterns, listStrategies, loadPattern, loadStrategy } from "../run/catalog.js";

/** Scenario-shaped input, most of it wrong in some way: field types, ranges, schedules, faults, options. */
// The doubles that broke it once: NaN and Infinity durations were accepted, everyS 1e-300 ran out of memory.
const anyNumber = fc.oneof(
  fc.integer({ min: -10, max: 100 }),
  fc.double(),
  fc.constantFrom(0, -0, 0.5, 1e9, 1e-300, Number.NaN, Infinity, -Infinity),
);
const duration = fc.oneof(anyNumber, fc.constantFrom("30s", "2m", "500ms", "ten", "", "-3s"), fc.string());
const fault = fc.oneof(
  fc.record(
    {
      kind: fc.constantFrom("kill", "pause", "restart", "leave", "link-down", "crash-at", "pause-at", "toxic", "nope"),
      target: fc.constantFrom("relay", "kafka", "consumer", "x"),
      service: fc.constantFrom("kafka", "postgres", "connect"),
      failpoint: fc.constantFrom("after-publish", "after-charge", "x"),
    },
    { requiredKeys: ["kind"] },
  ),
  fc.record({
    kind: fc.constant("toxic"),
    service: fc.constantFrom("kafka", "redis"),
    toxic: fc.record(
      {
        type: fc.constantFrom("latency", "bandwidth", "slicer", "jitter"),
        attributes: fc.dictionary(fc.constantFrom("latency", "rate", "jitter", "x"), anyNumber),
        stream: fc.constantFrom("upstream", "down"),
        toxicity: anyNumber,
      },
      { requiredKeys: ["type"] },
    ),
  }),
  fc.anything(),
);
const scenario = fc.record(
  {
    pattern: fc.constantFrom("outbox", "idempotency", "eos", "event-sourcing", "nope"),
    strategy: fc.constantFrom(
      "polling",
      "cdc-pgoutput",
      "db-unique",
      "redis-setnx",
      "transactions",
      "full-replay",
      "x",
    ),
    durationS: duration,
    warmupS: duration,
    quiesceTimeoutS: duration,
    seed: anyNumber,
    opTimeoutMs: anyNumber,
    options: fc.dictionary(
      fc.constantFrom("batchSize", "instances", "pollIntervalMs", "client", "consumers", "writers", "x"),
      fc.oneof(anyNumber, fc.string(), fc.boolean()),
    ),
    workload: fc.dictionary(
      fc.constantFrom("mode", "rateOpsPerS", "concurrency", "keyCount", "keySkew", "payloadBytes", "x"),
      fc.oneof(anyNumber, fc.constantFrom("open", "closed"), fc.string()),
    ),
    faults: fc.record(
      {
        timeline: fc.array(fc.record({ atS: anyNumber, forS: anyNumber, fault }, { requiredKeys: [] }), {
          maxLength: 3,
        }),
        random: fc.record(
          {
            everyS: anyNumber,
            jitterS: anyNumber,
            holdS: fc.oneof(fc.tuple(anyNumber, anyNumber), fc.anything()),
            faults: fc.array(fault, { maxLength: 3 }),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
    environment: fc.constantFrom("native", "external", "auto", "docker"),
  },
  { requiredKeys: ["pattern", "strategy"] },
);

/** Everything the CLI does with a scenario before any service starts. */
async function parseAndPrepare(input: unknown) {
  return prepareRun(parseScenario(input));
}

/** Settles within `ms` or says it hung. */
const settle = (p: Promise<unknown>, ms = 3000) =>
  Promise.race([
    p.then(
      () => "ok" as const,
      (e: unknown) => e,
    ),
    new Promise((resolve) => setTimeout(() => resolve(new Error(`did not settle within ${ms} ms`)), ms)),
  ]);

describe("the scenario parser (property)", () => {
  // The 3 s bound is for parsing and checking, not for the first import of a strategy's client libraries: at
  // load 15 (this suite beside two dgh runs) importing eos/transactions alone took longer than that.
  beforeAll(async () => {
    for (const p of listPatterns()) {
      await loadPattern(p);
      for (const s of listStrategies(p)) await loadStrategy(p, s);
    }
  }, 120_000);
  it("any input parses to a runnable scenario or is refused with an InputError: never a hang, a crash or a stack trace", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(scenario, fc.anything()), async (input) => {
        const r = await settle(parseAndPrepare(input));
        if (r === "ok") {
          const prepared = await parseAndPrepare(input);
          const d = prepared.scenario.durationS;
          expect(Number.isFinite(d) && d >= 1).toBe(true);
          for (const f of prepared.timeline) expect(f.atS >= 0 && f.atS + f.forS <= d).toBe(true);
        } else {
          expect(r, String((r as Error)?.stack ?? r)).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 400, seed: 20261127 },
    );
  }, 120_000);
});
