import fs from "node:fs";
import { EventEmitter } from "node:events";
import path from "node:path";
import { ManagedProcess } from "../util/process.js";
import { withTimeout } from "../util/wait.js";
import type { ServiceControl } from "../env/environment.js";

/** tsx resolved from dgh's own dependencies: a worker starts the same from any folder and in any project. */
const tsxLoader = import.meta.resolve("tsx");

export interface WorkerSpec {
  /** Unique in the run: the name faults target (e.g. relay, relay-2, consumer). */
  name: string;
  /** Absolute path of the worker module (a .ts file run through tsx). */
  module: string;
  config: unknown;
}

/**
 * A strategy's long-running part as a child process under the harness's control: kill -9, pause, restart
 * with the same config, and crash at a failpoint.
 */
export class Worker implements ServiceControl {
  private proc?: ManagedProcess;
  /** 'message' and 'exit' of every incarnation (restarts included), for request/response workers. */
  readonly events = new EventEmitter();
  constructor(
    readonly spec: WorkerSpec,
    private runDir: string,
  ) {}

  get pid(): number | undefined {
    return this.proc?.running ? this.proc.pid : undefined;
  }
  get running(): boolean {
    return this.proc?.running ?? false;
  }
  private get controlDir(): string {
    return path.join(this.runDir, "control");
  }

  async start(readyTimeoutMs = 60_000): Promise<void> {
    fs.mkdirSync(this.controlDir, { recursive: true });
    fs.mkdirSync(path.join(this.runDir, "workers"), { recursive: true });
    const proc = ManagedProcess.start({
      name: `worker ${this.spec.name}`,
      command: process.execPath,
      args: ["--import", tsxLoader, this.spec.module],
      logFile: path.join(this.runDir, "workers", `${this.spec.name}.log`),
      ipc: true,
      env: {
        ...process.env,
        DGH_WORKER_CONFIG: JSON.stringify(this.spec.config),
        DGH_WORKER_NAME: this.spec.name,
        DGH_CONTROL_DIR: this.controlDir,
      },
    });
    this.proc = proc;
    proc.child.on("message", (m) => this.events.emit("message", m));
    proc.child.on("error", () => {}); // an IPC write to a process that just died (EPIPE): send()'s callback reports it
    proc.child.once("exit", () => this.events.emit("exit"));
    const ready = new Promise<void>((resolve, reject) => {
      proc.child.on("message", (m: { type?: string }) => {
        if (m?.type === "ready") resolve();
      });
      proc.child.once("exit", (code) =>
        reject(new Error(`worker ${this.spec.name} exited (code ${code}) before it was ready; log:\n${proc.tail()}`)),
      );
    });
    await withTimeout(ready, readyTimeoutMs, `worker ${this.spec.name} start`);
  }

  /** Sends a message over the IPC channel; `onError` runs if it could not be delivered (e.g. the process just died). */
  send(message: unknown, onError: (e: Error) => void): void {
    if (!this.running) {
      onError(new Error(`${this.spec.name} is not running`));
      return;
    }
    try {
      this.proc!.child.send(message as object, (e) => {
        if (e) onError(e);
      });
    } catch (e) {
      onError(e as Error);
    }
  }

  /** True while the process is stopped (SIGSTOP), from /proc/<pid>/stat. */
  stopped(): boolean {
    if (!this.pid) return false;
    try {
      return fs
        .readFileSync(`/proc/${this.pid}/stat`, "utf8")
        .replace(/^.*\) /s, "")
        .startsWith("T");
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
  async stop(): Promise<void> {
    await this.proc?.stop("SIGTERM", 10_000);
  }
  async restart(): Promise<void> {
    if (this.running) await this.stop();
    await this.start();
  }

  /** Arms a failpoint; the worker SIGKILLs itself when it next reaches it ("pause:<name>": SIGSTOPs itself). */
  armFailpoint(name: string): void {
    fs.mkdirSync(this.controlDir, { recursive: true });
    fs.writeFileSync(path.join(this.controlDir, `${this.spec.name}.failpoint`), name);
  }
  disarm(): void {
    fs.rmSync(path.join(this.controlDir, `${this.spec.name}.failpoint`), { force: true });
  }

  /** Resolves when the process exits (used to detect a crash at a failpoint). */
  async waitExit(timeoutMs: number): Promise<boolean> {
    try {
      await this.proc?.waitExit(timeoutMs);
      return true;
    } catch {
      return false;
    }
  }
}
