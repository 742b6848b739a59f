import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { Toxiproxy } from "toxiproxy-node-client";
import type { Environment, ServiceControl, ServiceEndpoints, ServiceName } from "../environment.js";
import { runRoot, versions } from "../stack-paths.js";
import { assertPortFree, freePort } from "../../util/ports.js";
import { NativePostgres } from "./postgres.js";
import { NativeRedis } from "./redis.js";
import { NativeKafka } from "./kafka.js";
import { NativeToxiproxy } from "./toxiproxy.js";
import { NativeConnect } from "./connect.js";
import { NativeTemporal } from "./temporal.js";
import type { NativeService } from "./native-service.js";
import { gcStacks, writeStackFile } from "./stack-file.js";
import { cmdline } from "../../util/proc-stats.js";

const local = (port: number) => ({ host: "127.0.0.1", port });

export interface NativeOptions {
  /** Folder for data and logs; a fresh one under the run root by default. */
  dir?: string;
  /** Start Connect + Debezium at once (otherwise on first ensureConnect()). */
  connect?: boolean;
  /** Leave the processes running when this Node process exits (`dgh env up`). */
  detached?: boolean;
  log?: (line: string) => void;
  /** Fixed ports for the direct endpoints (default: free ones the kernel picks). */
  ports?: Partial<Record<"postgres" | "redis" | "kafka" | "toxiproxy", number>>;
}

/**
 * Isolated PostgreSQL, Redis, Kafka (KRaft) and Toxiproxy on free loopback ports in a per-run folder,
 * with a Toxiproxy proxy in front of each; Connect + Debezium only when asked for.
 */
export class NativeEnvironment implements Environment {
  readonly provider = "native" as const;
  readonly kafkaVersion = versions.KAFKA_VERSION;
  readonly endpoints: Partial<Record<ServiceName, ServiceEndpoints>> = {};
  readonly services: NativeService[] = [];
  toxiproxyUrl?: string;
  connect?: NativeConnect;
  /** Start-up timings (ms) of each service and of the whole stack, for the report. */
  readonly startMs: Record<string, number> = {};
  private constructor(
    readonly dir: string,
    private opts: NativeOptions,
  ) {}

  static async start(opts: NativeOptions = {}): Promise<NativeEnvironment> {
    const dir =
      opts.dir ??
      path.join(
        runRoot,
        `env-${new Date().toISOString().replace(/[:.]/g, "-")}-${crypto.randomBytes(3).toString("hex")}`,
      );
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    // Stacks left behind by a harness that was SIGKILLed hold ports and memory: stop them first.
    await gcStacks(runRoot, (l) => opts.log?.(l));
    const env = new NativeEnvironment(dir, opts);
    try {
      await env.startAll();
      return env;
    } catch (e) {
      await env.teardown();
      throw e;
    }
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  private async startAll(): Promise<void> {
    const t0 = performance.now();
    const sub = (name: string) => {
      const d = path.join(this.dir, name);
      fs.mkdirSync(d, { recursive: true, mode: 0o755 });
      return d;
    };
    const fixed = this.opts.ports ?? {};
    for (const [who, port] of Object.entries(fixed)) await assertPortFree(port, who);
    const [pgPort, redisPort, tpPort, kPlain, kCtl, kToxi, kProxied, pgProxied, redisProxied] = await Promise.all([
      fixed.postgres ?? freePort(),
      fixed.redis ?? freePort(),
      fixed.toxiproxy ?? freePort(),
      fixed.kafka ?? freePort(),
      ...Array.from({ length: 5 }, freePort),
    ]);

    const postgres = new NativePostgres(sub("postgres"), pgPort!);
    const redis = new NativeRedis(sub("redis"), redisPort!);
    const kafka = new NativeKafka(sub("kafka"), {
      plain: kPlain!,
      controller: kCtl!,
      toxi: kToxi!,
      proxied: kProxied!,
    });
    const toxiproxy = new NativeToxiproxy(sub("toxiproxy"), tpPort!);
    this.track(postgres, redis, kafka, toxiproxy);

    // The JVM is the slow part: format and start Kafka while the others come up.
    const timed = async (s: NativeService, init?: () => void) => {
      const t = performance.now();
      init?.();
      await s.start(this.opts.detached);
      this.startMs[s.name] = Math.round(performance.now() - t);
      this.log(`${s.name} ready in ${this.startMs[s.name]} ms (pid ${s.pid})`);
    };
    await Promise.all([
      timed(kafka, () => kafka.init()),
      timed(postgres, () => postgres.init()).then(() => postgres.createDatabase("dgh")),
      timed(redis),
      timed(toxiproxy),
    ]);

    this.toxiproxyUrl = toxiproxy.url;
    const tp = new Toxiproxy(toxiproxy.url);
    await tp.createProxy({ name: "postgres", listen: `127.0.0.1:${pgProxied}`, upstream: `127.0.0.1:${pgPort}` });
    await tp.createProxy({ name: "redis", listen: `127.0.0.1:${redisProxied}`, upstream: `127.0.0.1:${redisPort}` });
    await tp.createProxy({ name: "kafka", listen: `127.0.0.1:${kProxied}`, upstream: `127.0.0.1:${kToxi}` });
    this.endpoints.postgres = { direct: local(pgPort!), proxied: local(pgProxied!) };
    this.endpoints.redis = { direct: local(redisPort!), proxied: local(redisProxied!) };
    this.endpoints.kafka = { direct: local(kPlain!), proxied: local(kProxied!) };
    this.startMs.stack = Math.round(performance.now() - t0);
    if (this.opts.connect) await this.ensureConnect();
  }

  async ensureConnect(): Promise<ServiceEndpoints> {
    if (!this.connect) {
      const port = await freePort();
      // Connect reaches Kafka through Toxiproxy, so Kafka faults reach the Debezium relay as they reach ours.
      const kafka = this.endpoints.kafka!.proxied!;
      this.connect = new NativeConnect(path.join(this.dir, "connect"), port, `${kafka.host}:${kafka.port}`);
      this.track(this.connect);
      const t = performance.now();
      await this.connect.start(this.opts.detached);
      this.startMs.connect = Math.round(performance.now() - t);
      this.log(`connect ready in ${this.startMs.connect} ms (pid ${this.connect.pid})`);
      this.endpoints.connect = { direct: local(port) };
    }
    return this.endpoints.connect!;
  }

  async ensureTemporal(): Promise<ServiceEndpoints> {
    if (!this.endpoints.temporal) {
      const [port, httpPort, metricsPort, proxied] = await Promise.all(Array.from({ length: 4 }, freePort));
      const temporal = new NativeTemporal(path.join(this.dir, "temporal"), port!, httpPort!, metricsPort!);
      this.track(temporal);
      const t = performance.now();
      await temporal.start(this.opts.detached);
      this.startMs.temporal = Math.round(performance.now() - t);
      this.log(`temporal ready in ${this.startMs.temporal} ms (pid ${temporal.pid})`);
      // Workers reach it through Toxiproxy, so link faults reach the Temporal worker as they reach the others.
      await new Toxiproxy(this.toxiproxyUrl!).createProxy({
        name: "temporal",
        listen: `127.0.0.1:${proxied}`,
        upstream: `127.0.0.1:${port}`,
      });
      this.endpoints.temporal = { direct: local(port!), proxied: local(proxied!) };
    }
    return this.endpoints.temporal;
  }

  /** Adds servers to the stack; each start (restarts too) rewrites stack.json with their pids. */
  private track(...services: NativeService[]): void {
    for (const s of services) {
      this.services.push(s);
      s.onStarted = () =>
        writeStackFile(this.dir, {
          ownerPid: this.opts.detached ? null : process.pid,
          processes: this.services
            .filter((x) => x.pid)
            .map((x) => ({ name: x.name, pid: x.pid!, cmd: cmdline(x.pid!) })),
        });
    }
  }

  control(service: ServiceName): ServiceControl {
    const s = this.services.find((x) => x.name === service);
    if (!s)
      throw new Error(
        `no ${service} in this native environment${service === "connect" ? " (call ensureConnect() first)" : ""}`,
      );
    return s;
  }

  /** Pids of every server this environment started (the only ones it will ever signal). */
  pids(): Record<string, number | undefined> {
    return Object.fromEntries(this.services.map((s) => [s.name, s.pid]));
  }

  async teardown(): Promise<void> {
    // Clients of the others first (Temporal, Connect, Kafka), then the rest together.
    for (const name of ["temporal", "connect", "kafka"]) await this.services.find((s) => s.name === name)?.stop();
    await Promise.all(this.services.map((s) => s.stop()));
    if (!process.env.DGH_KEEP_ENV) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.teardown();
  }
}
