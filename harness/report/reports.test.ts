import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeReports } from "./write-reports.js";
import { judge } from "../checkers/claims.js";
import { expectation } from "../run/expectation.js";
import { runRecordVersion, writeRunRecord, type RunRecord } from "../record/run-record.js";
import type { HistoryEvent } from "../history/events.js";
import type { Verdict } from "../checkers/types.js";
import { Recorder } from "../metrics/histogram.js";
import type { FaultRecord } from "../faults/fault-records.js";

/** A run folder written by hand: the renderers read only the folder, so this is all they need. */
function runFolder(opts: { lost?: number; faultFailed?: boolean; control?: boolean; pending?: boolean }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-report-"));
  const history: HistoryEvent[] = [
    { type: "phase", t: 0, phase: "measure" },
    { type: "invoke", t: 10, op: 0, f: "place", id: "o1", intendedT: 5 },
    { type: "ok", t: 20, op: 0, f: "place", id: "o1" },
    { type: "fault-start", t: 1_000_000, id: 0, fault: "kill relay", detail: { kind: "kill", target: "relay" } },
    opts.faultFailed
      ? {
          type: "fault-end",
          t: 3_000_000,
          id: 0,
          fault: "kill relay",
          outcome: "failed",
          error: "relay (pid 7) is still alive after SIGKILL",
        }
      : {
          type: "fault-end",
          t: 3_000_000,
          id: 0,
          fault: "kill relay",
          outcome: "applied",
          proof: { pid: 7, killed: true, restartedPid: 8 },
        },
  ];
  fs.writeFileSync(path.join(dir, "history.jsonl"), `${history.map((e) => JSON.stringify(e)).join("\n")}\n`);
  const lost = opts.lost ?? 0;
  const verdicts: Verdict[] = [
    {
      checker: "lost-deliveries",
      valid: lost === 0,
      anomalies: lost ? [{ name: "lost", count: lost, evidence: [{ id: "o1", acked: true }] }] : [],
      stats: { expected: 1, checkMs: 1 },
    },
  ];
  const faults: FaultRecord[] = [
    {
      id: 0,
      name: "kill relay",
      spec: {},
      startUs: 1_000_000,
      endUs: 3_000_000,
      outcome: opts.faultFailed ? ("failed" as const) : ("applied" as const),
      opsInside: 200,
      notOkInside: 3,
      ...(opts.faultFailed
        ? { error: "relay (pid 7) is still alive after SIGKILL" }
        : { proof: { pid: 7, killed: true, restartedPid: 8 } }),
    },
  ];
  const control = opts.control ? { expectedAnomalies: ["lost" as const] } : undefined;
  const pending = opts.pending ? [{ stage: "sink (behind the output topic)", count: 339 }] : [];
  const judgement = judge({ delivery: "exactly-once" }, verdicts, {
    faultsNotApplied: faults.filter((f) => f.outcome === "failed").map((f) => ({ fault: f.name, error: f.error! })),
    pending,
  });
  const metrics = new Recorder();
  for (let i = 1; i <= 100; i++) metrics.record("place", i * 100);
  const record: RunRecord = {
    schemaVersion: runRecordVersion,
    runDir: dir,
    judgement,
    expectation: expectation(judgement, control),
    verdicts,
    faults,
    scenario: {
      name: "t",
      pattern: "outbox",
      strategy: "polling",
      options: {},
      workload: {
        mode: "open",
        rateOpsPerS: 100,
        concurrency: 8,
        keyCount: 10,
        keySkew: 0,
        payloadBytes: 0,
        params: {},
      },
      faults: {},
      durationS: 5,
      warmupS: 1,
      quiesceTimeoutS: 30,
      baselineS: 0,
      opTimeoutMs: 5000,
      seed: 42,
      environment: "native",
    },
    strategy: { name: "polling", description: "test run", claims: { delivery: "exactly-once" }, control },
    timeline: [],
    measure: { ok: 1, fail: 0, info: 0, seconds: 5, behindMaxMs: 0, okPerS: 0.2, series: [1, 0, 0, 0, 0] },
    latency: metrics.summaries(),
    histograms: metrics.encoded(),
    baselines: [],
    recoveryMs: [120],
    strategyStats: {},
    quiesce: { drained: !opts.pending, waitedMs: 800, boundS: 30, pending },
    environment: { provider: "native" },
    reproduce: "bin/dgh replay x",
    startedAt: "2026-11-27T00:00:00.000Z",
    wallMs: 9000,
  };
  writeRunRecord(dir, record);
  writeReports(dir);
  const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
  return { md: read("summary.md"), xml: read("junit.xml"), html: read("report.html"), dir };
}

describe("reports rendered from a run folder", () => {
  it("a clean pass: verdict, the fault with its proof and what it touched, recovery", () => {
    const { md, xml, html } = runFolder({});
    expect(md).toMatch(/^# outbox\/polling: PASS/);
    expect(md).toMatch(
      /\| kill relay \| 1\.00 \| 3\.00 \| applied \| pid=7 killed=true restartedPid=8 \| 200 \(3\) \| 120 \|/,
    );
    expect(xml).toMatch(/tests="1" failures="0"/);
    // The page itself is checked in a real browser (suites/report-browser.test.ts); here: verdict, data, no CDN.
    expect(html).toMatch(/<header class="banner pass" id="verdict" data-verdict="pass">/);
    expect(html).toContain('<script type="application/json" id="report-data">');
    expect(html).not.toMatch(/<script[^>]+src=/);
  });
  it("a fault that did not apply: UNKNOWN everywhere, named with its reason", () => {
    const { md, xml, html } = runFolder({ faultFailed: true });
    expect(md).toMatch(/^# outbox\/polling: UNKNOWN/);
    expect(md).toMatch(/\*\*fault did not apply\*\*: kill relay: relay \(pid 7\) is still alive after SIGKILL/);
    expect(md).toMatch(/\| \*\*failed\*\* \| relay \(pid 7\) is still alive after SIGKILL \|/);
    expect(xml).toMatch(
      /name="fault applied: kill relay"><failure message="did not apply: relay \(pid 7\) is still alive/,
    );
    expect(html).toMatch(/UNKNOWN/);
  });
  it("a loss while a stage still held work is undecided, and the summary names the stage", () => {
    const { md } = runFolder({ lost: 6, pending: true });
    expect(md).toMatch(/^# outbox\/polling: UNKNOWN/);
    expect(md).toMatch(
      /Work was still pending when the 30s bound passed\*\* \(339 in sink \(behind the output topic\)\)/,
    );
  });
  it("a control that failed as it must: its junit case passes, the summary says what caught it", () => {
    const { md, xml } = runFolder({ lost: 2, control: true });
    expect(md).toMatch(/control, expected to fail with lost: \*\*failed as it must: the checkers caught lost ×2\*\*/);
    expect(xml).toMatch(/name="control fails with lost"><\/testcase>/);
    const missed = runFolder({ lost: 0, control: true });
    expect(missed.xml).toMatch(/name="control fails with lost"><failure message="did NOT fail with lost/);
  });
  it("an unversioned run.json is refused with what to do", () => {
    const { dir } = runFolder({});
    const file = path.join(dir, "run.json");
    const { schemaVersion: _, ...old } = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify(old));
    expect(() => writeReports(dir)).toThrow(
      /run record version 0 \(unversioned\); this dgh reads version 1: run it again with `bin\/dgh replay/,
    );
  });
});
