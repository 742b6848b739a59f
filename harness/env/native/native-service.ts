import type { ServiceControl } from "../environment.js";
import { ManagedProcess, type SpawnSpec } from "../../util/process.js";
import { waitFor } from "../../util/wait.js";

/**
 * One server process the native environment owns: how to spawn it, how to tell it is ready,
 * and the process faults (kill -9, pause, restart on the same port and data).
 */
export abstract class NativeService implements ServiceControl {
  protected proc?: ManagedProcess;
  abstract readonly name: string;
  protected abstract spawnSpec(): SpawnSpec;
  protected abstract ready(): Promise<boolean>;
  protected readyTimeoutMs = 60_000;
  /** Signal for a graceful stop (postgres wants SIGINT for a fast shutdown). */
  protected stopSignal: NodeJS.Signals = "SIGTERM";
  /** Wall time of the last start, cold or warm, for the report. */
  lastStartMs = 0;
  /** Called after every start (restarts too): the environment records the new pid in its stack file. */
  onStarted?: () => void;

  get pid(): number | undefined {
    return this.proc?.running ? this.proc.pid : undefined;
  }

  async start(detached = false): Promise<void> {
    const t0 = performance.now();
    const spec = { ...this.spawnSpec(), detached };
    const proc = ManagedProcess.start(spec);
    this.proc = proc;
    await waitFor(
      `${this.name} to be ready`,
      async () => {
        if (!proc.running)
          throw new Error(`${this.name} exited during start-up; last log lines (${spec.logFile}):\n${proc.tail()}`);
        return this.ready();
      },
      { timeoutMs: this.readyTimeoutMs, intervalMs: 150, hint: `log: ${spec.logFile}` },
    ).catch((e) => {
      proc.signal("SIGKILL");
      throw e;
    });
    this.lastStartMs = performance.now() - t0;
    this.onStarted?.();
  }

  async stop(): Promise<void> {
    await this.proc?.stop(this.stopSignal);
  }
  protected async exitedWithin(ms: number): Promise<boolean> {
    try {
      await this.proc?.waitExit(ms);
      return true;
    } catch {
      return false;
    }
  }
  async kill(): Promise<void> {
    await this.proc?.kill9();
  }
  async pause(): Promise<void> {
    this.proc?.signal("SIGSTOP");
  }
  async resume(): Promise<void> {
    this.proc?.signal("SIGCONT");
  }
  async restart(): Promise<void> {
    if (this.proc?.running) await this.stop();
    await this.start();
  }
}
