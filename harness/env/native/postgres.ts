import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import pg from "pg";
import { NativeService } from "./native-service.js";
import { stack, requireInstalled } from "../stack-paths.js";
import { pidAlive, type SpawnSpec } from "../../util/process.js";
import { childPids } from "../../util/proc-stats.js";
import { waitFor } from "../../util/wait.js";

/** initdb and postgres refuse to run as root: as root we drop to the postgres user with setpriv (which execs, so our pid is the postmaster). */
const asPostgres = (cmd: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0
    ? ["setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", cmd, ...args]]
    : [cmd, args];

/** PostgreSQL with wal_level=logical (for CDC), TCP on loopback only, fsync off (test data only). */
export class NativePostgres extends NativeService {
  readonly name = "postgres";
  protected override stopSignal: NodeJS.Signals = "SIGINT"; // fast shutdown
  constructor(
    private dir: string,
    readonly port: number,
  ) {
    super();
  }

  init(): void {
    requireInstalled("PostgreSQL", path.join(stack.pgBin, "initdb"));
    const data = path.join(this.dir, "data");
    fs.mkdirSync(data, { recursive: true, mode: 0o700 });
    if (process.getuid?.() === 0) execFileSync("chown", ["-R", "postgres:postgres", this.dir]);
    const [cmd, args] = asPostgres(path.join(stack.pgBin, "initdb"), [
      "-D",
      data,
      "-U",
      "postgres",
      "--auth=trust",
      "-E",
      "UTF8",
      "--locale=C.UTF-8",
      "-N",
    ]);
    execFileSync(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
  }

  protected spawnSpec(): SpawnSpec {
    const [command, args] = asPostgres(path.join(stack.pgBin, "postgres"), [
      "-D",
      path.join(this.dir, "data"),
      "-p",
      String(this.port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "wal_level=logical",
      "-c",
      "max_replication_slots=20",
      "-c",
      "max_wal_senders=20",
      "-c",
      "fsync=off",
      "-c",
      "full_page_writes=off",
      "-c",
      "max_connections=200",
    ]);
    return { name: this.name, command, args, logFile: path.join(this.dir, "server.log") };
  }

  /**
   * kill -9 of the postmaster alone leaves its backends running (holding shared memory, so a restart fails):
   * a crash of the database host kills them all, so we do too.
   */
  override async kill(): Promise<void> {
    const pid = this.pid;
    const family = pid ? childPids(pid) : [];
    await super.kill();
    for (const c of family) {
      try {
        process.kill(c, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    await waitFor("postgres backends to exit", () => family.every((c) => !pidAlive(c)), { timeoutMs: 10_000 });
  }

  /** Fast shutdown; if it hangs (a walsender waiting on a client), immediate shutdown, then kill. */
  override async stop(): Promise<void> {
    const pid = this.pid;
    if (!pid) return;
    const family = childPids(pid);
    this.proc!.signal("SIGINT");
    if (!(await this.exitedWithin(10_000))) {
      this.proc!.signal("SIGQUIT");
      if (!(await this.exitedWithin(5_000))) await this.kill();
    }
    await waitFor("postgres backends to exit", () => family.every((c) => !pidAlive(c)), { timeoutMs: 10_000 }).catch(
      () => {
        for (const c of family) {
          try {
            process.kill(c, "SIGKILL");
          } catch {
            /* gone */
          }
        }
      },
    );
  }

  protected async ready(): Promise<boolean> {
    const c = new pg.Client({
      host: "127.0.0.1",
      port: this.port,
      user: "postgres",
      database: "postgres",
      connectionTimeoutMillis: 1000,
    });
    try {
      await c.connect();
      await c.query("select 1");
      return true;
    } finally {
      await c.end().catch(() => {});
    }
  }

  /** The database every scenario gets its own schema in. */
  async createDatabase(name: string): Promise<void> {
    const c = new pg.Client({ host: "127.0.0.1", port: this.port, user: "postgres", database: "postgres" });
    await c.connect();
    try {
      await c.query(`create database ${name}`);
    } finally {
      await c.end();
    }
  }
}
