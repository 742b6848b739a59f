import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { Kafka, logLevel } from "kafkajs";
import { NativeService } from "./native-service.js";
import { stack, requireInstalled } from "../stack-paths.js";
import type { SpawnSpec } from "../../util/process.js";
import { withTimeout } from "../../util/wait.js";

export interface KafkaPorts {
  plain: number; // direct clients
  controller: number; // KRaft quorum
  toxi: number; // listener that sits behind Toxiproxy...
  proxied: number; // ...and advertises the proxy's port, so proxied clients stay on the proxy after metadata
}

/** JVM flags for a small, quick-starting JVM on 2 cores. */
export const smallJvm = [
  "-Xms128m",
  "-Xmx512m",
  "-XX:+UseSerialGC",
  "-XX:TieredStopAtLevel=1",
  "-XX:+ExitOnOutOfMemoryError",
  "-Djava.awt.headless=true",
];

/** A single-node KRaft Kafka (combined broker + controller) with replication factors of 1, so groups and transactions work. */
export class NativeKafka extends NativeService {
  readonly name = "kafka";
  protected override readyTimeoutMs = 90_000;
  constructor(
    private dir: string,
    readonly ports: KafkaPorts,
  ) {
    super();
  }

  private get props(): string {
    return path.join(this.dir, "server.properties");
  }
  private jvm(): string[] {
    return [
      ...smallJvm,
      `-Dlog4j2.configurationFile=${stack.log4jConfig}`,
      `-Dkafka.logs.dir=${path.join(this.dir, "logs")}`,
      "-cp",
      `${stack.kafkaLib}/*`,
    ];
  }

  /** Writes server.properties and formats the log dir (once per environment; restarts keep the data). */
  init(): void {
    requireInstalled("Kafka", path.join(stack.kafkaLib, ".ok"));
    const { plain, controller, toxi, proxied } = this.ports;
    fs.mkdirSync(path.join(this.dir, "data"), { recursive: true });
    fs.writeFileSync(
      this.props,
      [
        "process.roles=broker,controller",
        "node.id=1",
        `controller.quorum.voters=1@127.0.0.1:${controller}`,
        `listeners=PLAINTEXT://127.0.0.1:${plain},TOXI://127.0.0.1:${toxi},CONTROLLER://127.0.0.1:${controller}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${plain},TOXI://127.0.0.1:${proxied}`,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,TOXI:PLAINTEXT",
        `log.dirs=${path.join(this.dir, "data")}`,
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "num.partitions=1",
        "auto.create.topics.enable=true",
        "num.network.threads=2",
        "num.io.threads=2",
        "background.threads=2",
        "num.recovery.threads.per.data.dir=1",
        "log.cleaner.dedupe.buffer.size=16777216",
        // Let a paused (SIGSTOP) zombie's transaction time out quickly in eos scenarios.
        "transaction.max.timeout.ms=900000",
        "",
      ].join("\n"),
    );
    let id: string;
    do id = crypto.randomBytes(16).toString("base64url");
    while (id.startsWith("-"));
    execFileSync(stack.java, [...this.jvm(), "kafka.tools.StorageTool", "format", "-t", id, "-c", this.props], {
      stdio: ["ignore", "ignore", "pipe"],
    });
  }

  protected spawnSpec(): SpawnSpec {
    return {
      name: this.name,
      command: stack.java,
      args: [...this.jvm(), "kafka.Kafka", this.props],
      logFile: path.join(this.dir, "server.log"),
    };
  }

  /** Ready when a real client can describe the cluster, not merely when the port is open. */
  protected async ready(): Promise<boolean> {
    const admin = new Kafka({
      brokers: [`127.0.0.1:${this.ports.plain}`],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 1000,
    }).admin();
    try {
      await withTimeout(admin.connect(), 3000, "kafka admin connect");
      const c = await withTimeout(admin.describeCluster(), 3000, "describeCluster");
      return c.brokers.length > 0;
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }
}
