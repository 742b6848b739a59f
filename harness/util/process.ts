import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { processState } from "./process-state.js";

/** Every process dgh started and has not yet seen exit: ended on exit, error and Ctrl-C, by pid, and nothing else. */
const live = new Set<ManagedProcess>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const p of live) p.signal("SIGKILL");
  };
  process.on("exit", killAll);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      if (live.size) process.stderr.write(`\n[dgh] ${sig}: stopping ${live.size} service process(es) dgh started\n`);
      killAll();
      process.kill(process.pid, sig); // our listener is gone (once): the default action ends the process as usual
    });
  }
}

export interface SpawnSpec {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Leave running when this Node process exits (for `dgh env up`). */
  detached?: boolean;
  /** Open an IPC channel (Node children: workers say "ready" through it). */
  ipc?: boolean;
  /** Pipe stdin and stdout (a program in any language talks JSON lines through them); stderr goes to the log. */
  lines?: boolean;
}

/** A child process with a log file and the signals faults need: kill -9, SIGSTOP/SIGCONT, graceful stop. */
export class ManagedProcess {
  readonly pid: number;
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined = undefined;
  private constructor(
    readonly spec: SpawnSpec,
    readonly child: ChildProcess,
  ) {
    this.pid = child.pid!;
    this.exited = new Promise((resolve) =>
      child.once("exit", (code, sig) => {
        this.exitCode = code ?? (sig ? -1 : null);
        live.delete(this);
        resolve(this.exitCode);
      }),
    );
  }

  static start(spec: SpawnSpec): ManagedProcess {
    hookExit();
    const fd = fs.openSync(spec.logFile, "a");
    const child = spawn(spec.command, spec.args, {
      stdio: spec.lines ? ["pipe", "pipe", fd] : spec.ipc ? ["ignore", fd, fd, "ipc"] : ["ignore", fd, fd],
      env: spec.env ?? process.env,
      cwd: spec.cwd,
      detached: spec.detached ?? false,
    });
    fs.closeSync(fd);
    child.on("error", () => {}); // e.g. a failed IPC write to a dead child: callers see it through their own callbacks
    if (child.pid === undefined)
      throw new Error(`could not start ${spec.name}: ${spec.command} (is it installed? run \`npm run setup\`)`);
    const p = new ManagedProcess(spec, child);
    if (spec.detached) child.unref();
    else live.add(p);
    return p;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  signal(sig: NodeJS.Signals): void {
    if (!this.running) return;
    try {
      process.kill(this.pid, sig);
    } catch {
      /* already gone */
    }
  }

  /** Resolves with the exit code, or rejects after `timeoutMs`. */
  waitExit(timeoutMs = 30_000): Promise<number | null> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`${this.spec.name} (pid ${this.pid}) did not exit within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.exited.then((c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
  }

  /** SIGTERM (or `sig`), then SIGKILL if it has not exited after `graceMs`. */
  async stop(sig: NodeJS.Signals = "SIGTERM", graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.signal("SIGCONT"); // a paused process cannot handle SIGTERM
    this.signal(sig);
    try {
      await this.waitExit(graceMs);
    } catch {
      this.signal("SIGKILL");
      await this.waitExit(5_000);
    }
  }

  async kill9(): Promise<void> {
    this.signal("SIGKILL");
    await this.waitExit(10_000);
  }

  /** The last lines of the log, for error messages. */
  tail(lines = 20): string {
    try {
      return fs.readFileSync(this.spec.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  }
}

/** For a pid we did not spawn in this process (held by `dgh env up`): is it alive? A zombie is not. */
export function pidAlive(pid: number): boolean {
  return processState(pid) !== "gone";
}
