import { afterEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Environment, ServiceControl } from "../env/environment.js";
import { HistoryRecorder } from "../history/history-recorder.js";
import { readHistory } from "../history/reader.js";
import { ManagedProcess } from "../util/process.js";
import { Nemesis } from "./nemesis.js";
import { faultRecords, faultsNotApplied } from "./fault-records.js";
import type { TimedFault } from "./fault-spec.js";

/** A service control over a real process (sleep), so the nemesis's proofs read a real /proc. */
class SleepService implements ServiceControl {
  private proc?: ManagedProcess;
  constructor(
    private dir: string,
    private broken: "none" | "kill-ignored" | "kill-throws" = "none",
  ) {
    this.start();
  }
  get pid() {
    return this.proc?.running ? this.proc.pid : undefined;
  }
  private start() {
    this.proc = ManagedProcess.start({
      name: "sleep",
      command: "sleep",
      args: ["60"],
      logFile: path.join(this.dir, "sleep.log"),
    });
  }
  async kill() {
    if (this.broken === "kill-throws") throw new Error("permission denied");
    if (this.broken === "kill-ignored") return;
    await this.proc?.kill9();
  }
  async pause() {
    this.proc?.signal("SIGSTOP");
    await new Promise((r) => setTimeout(r, 50));
  }
  async resume() {
    this.proc?.signal("SIGCONT");
  }
  async restart() {
    await this.proc?.stop();
    this.start();
  }
  async end() {
    await this.proc?.kill9();
  }
}

const dirs: string[] = [];
const services: SleepService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.end();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function runNemesis(timeline: TimedFault[], controls: Record<string, SleepService>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-nemesis-"));
  dirs.push(dir);
  services.push(...Object.values(controls));
  const env = {
    provider: "native",
    endpoints: {},
    control: (s: string) => controls[s]!,
    ensureConnect: async () => ({}),
    teardown: async () => {},
  } as unknown as Environment;
  const history = new HistoryRecorder(path.join(dir, "history.jsonl"));
  const nemesis = new Nemesis(env, new Map(), history, () => {});
  await nemesis.run(timeline, performance.now(), new AbortController().signal);
  await nemesis.healAll();
  history.close();
  return faultRecords(readHistory(history.file));
}

const at = (atS: number, forS: number, fault: TimedFault["fault"]): TimedFault => ({ atS, forS, fault });

describe("nemesis (with a service control over real processes)", () => {
  it("a kill and a pause that happened end applied, with the pids that prove it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-svc-"));
    dirs.push(dir);
    const kafka = new SleepService(dir),
      postgres = new SleepService(dir);
    const [killPid, pausePid] = [kafka.pid, postgres.pid];
    const faults = await runNemesis(
      [at(0.05, 0.1, { kind: "kill", target: "kafka" }), at(0.05, 0.1, { kind: "pause", target: "postgres" })],
      { kafka, postgres },
    );
    expect(faults.map((f) => [f.name, f.outcome])).toEqual([
      ["kill kafka", "applied"],
      ["pause postgres", "applied"],
    ]);
    expect(faults[0]!.proof).toMatchObject({ pid: killPid, killed: true });
    expect(faults[0]!.proof!.restartedPid).not.toBe(killPid);
    expect(faults[1]!.proof).toMatchObject({ pid: pausePid, stopped: true, resumed: true });
    expect(faultsNotApplied(faults)).toEqual([]);
  });

  it("a kill that did not kill, and one that threw, end failed with the reason", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-svc-"));
    dirs.push(dir);
    const faults = await runNemesis(
      [at(0.05, 0.05, { kind: "kill", target: "kafka" }), at(0.05, 0.05, { kind: "kill", target: "redis" })],
      { kafka: new SleepService(dir, "kill-ignored"), redis: new SleepService(dir, "kill-throws") },
    );
    expect(faults.map((f) => f.outcome)).toEqual(["failed", "failed"]);
    expect(faultsNotApplied(faults).map((f) => f.error)).toEqual([
      expect.stringMatching(/kafka \(pid \d+\) is still alive after SIGKILL/),
      "permission denied",
    ]);
  });

  it("a network fault without Toxiproxy fails loudly instead of passing as a log line", async () => {
    const faults = await runNemesis([at(0.01, 0.01, { kind: "link-down", service: "kafka" })], {});
    expect(faults[0]).toMatchObject({ outcome: "failed", error: expect.stringMatching(/has no Toxiproxy/) });
  });

  it("a fault that never ended (the harness died) has no outcome and counts as not applied", () => {
    const f = faultRecords([{ type: "fault-start", t: 1, id: 0, fault: "kill relay", detail: {} }]);
    expect(faultsNotApplied(f)).toEqual([{ fault: "kill relay", error: expect.stringMatching(/no outcome recorded/) }]);
  });
});
