import fs from "node:fs";
import { EventEmitter } from "node:events";
import path from "node:path";
import readline from "node:readline";
import { ManagedProcess } from "../util/process.js";
import { withTimeout } from "../util/wait.js";
import type { ServiceControl } from "../env/environment.js";

/** tsx resolved from dgh's own dependencies: a worker starts the same from any folder and in any project. */
const tsxLoader = import.meta.resolve("tsx");

export interface WorkerSpec {
  /** Unique in the run: the name faults target (e.g. relay, relay-2, consumer). */
  name: string;
  /** Absolute path of a TypeScript worker module, run through tsx; it talks to the harness over Node's IPC. */
  module?: string;
  /** Or a program in any language; it talks JSON lines over stdin/stdout (harness/workers/PROTOCOL.md). */
  command?: ServiceCommand;
  config: unknown;
}

/** A black-box worker: the program (run directly, no shell, so its pid is the one faults signal) and its setting. */
export interface ServiceCommand {
  argv: string[];
  cwd?: string;
  /** The run's endpoints and names as environment variables (DGH_PG_URL, DGH_TOPIC, …). */
  env?: Record<string, string>;
}

/** What a worker wrote when a failpoint fired: which one, and how much work it held mid-step. */
export interface FiredRecord {
  failpoint: string;
  inFlight?: number;
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
  private starts = 0;
  private get controlDir(): string {
    return path.join(this.runDir, "control");
  }
  private get failpointFile(): string {
    return path.join(this.controlDir, `${this.spec.name}.failpoint`);
  }

  async start(readyTimeoutMs = 60_000): Promise<void> {
    fs.mkdirSync(this.controlDir, { recursive: true });
    fs.mkdirSync(path.join(this.runDir, "workers"), { recursive: true });
    const logFile = path.join(this.runDir, "workers", `${this.spec.name}.log`);
    const env = {
      ...process.env,
      DGH_WORKER_CONFIG: JSON.stringify(this.spec.config),
      DGH_WORKER_NAME: this.spec.name,
      DGH_CONTROL_DIR: this.controlDir,
      DGH_FAILPOINT_FILE: this.failpointFile,
      DGH_STATS_FILE: path.join(this.runDir, "workers", `${this.spec.name}.start${++this.starts}.stats.json`),
    };
    const cmd = this.spec.command;
    const proc = cmd
      ? ManagedProcess.start({
          name: `worker ${this.spec.name}`,
          command: cmd.argv[0]!,
          args: cmd.argv.slice(1),
          cwd: cmd.cwd,
          logFile,
          lines: true,
          env: { ...env, ...cmd.env },
        })
      : ManagedProcess.start({
          name: `worker ${this.spec.name}`,
          command: process.execPath,
          args: ["--import", tsxLoader, this.spec.module!],
          logFile,
          ipc: true,
          env,
        });
    this.proc = proc;
    if (cmd) this.readLines(proc, logFile);
    else proc.child.on("message", (m) => this.events.emit("message", m));
    proc.child.on("error", () => {}); // an IPC write to a process that just died (EPIPE): send()'s callback reports it
    proc.child.once("exit", () => this.events.emit("exit"));
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: { type?: string }) => {
        if (m?.type !== "ready") return;
        this.events.off("message", onMessage);
        resolve();
      };
      this.events.on("message", onMessage);
      proc.child.once("exit", (code) => {
        this.events.off("message", onMessage);
        reject(new Error(`worker ${this.spec.name} exited (code ${code}) before it was ready; log:\n${proc.tail()}`));
      });
    });
    await withTimeout(ready, readyTimeoutMs, `worker ${this.spec.name} start`);
  }

  /** A black-box worker's stdout: JSON objects with a `type` are messages to the harness, anything else is log. */
  private readLines(proc: ManagedProcess, logFile: string): void {
    const log = fs.createWriteStream(logFile, { flags: "a" });
    proc.child.stdin!.on("error", () => {}); // a write to a process that just died: send()'s callback reports it
    readline.createInterface({ input: proc.child.stdout! }).on("line", (line) => {
      const message = protocolMessage(line);
      if (message) this.events.emit("message", message);
      else log.write(`${line}\n`);
    });
    proc.child.once("exit", () => log.end());
  }

  /** Sends a message (IPC, or a JSON line on stdin); `onError` runs if it could not be delivered (e.g. the process just died). */
  send(message: unknown, onError: (e: Error) => void): void {
    if (!this.running) {
      onError(new Error(`${this.spec.name} is not running`));
      return;
    }
    const done = (e?: Error | null) => {
      if (e) onError(e);
    };
    try {
      if (this.spec.command) this.proc!.child.stdin!.write(`${JSON.stringify(message)}\n`, done);
      else this.proc!.child.send(message as object, done);
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
    fs.rmSync(`${this.failpointFile}.fired`, { force: true });
    fs.writeFileSync(this.failpointFile, name);
  }
  disarm(): void {
    fs.rmSync(this.failpointFile, { force: true });
  }

  /** What the worker wrote as its failpoint fired (<failpoint file>.fired), if it did and said. */
  fired(): FiredRecord | undefined {
    try {
      return JSON.parse(fs.readFileSync(`${this.failpointFile}.fired`, "utf8")) as FiredRecord;
    } catch {
      return undefined;
    }
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

/** A protocol line: a JSON object with a string `type` ({"type":"ready"}, {"type":"done",…}); anything else is log. */
function protocolMessage(line: string): { type: string } | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const m = JSON.parse(line) as { type?: unknown };
    return typeof m?.type === "string" ? (m as { type: string }) : undefined;
  } catch {
    return undefined;
  }
}
