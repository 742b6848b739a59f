import fs from "node:fs";
import path from "node:path";
import { NativeService } from "./native-service.js";
import { smallJvm } from "./kafka.js";
import { stack, requireInstalled } from "../stack-paths.js";
import type { SpawnSpec } from "../../util/process.js";

/**
 * A Kafka Connect worker (distributed mode, one worker) with the Debezium PostgreSQL connector on its plugin path.
 * Distributed, not standalone: connector configs and offsets live in Kafka topics, so a killed and restarted
 * worker resumes its connectors as a real deployment does (standalone forgets connectors registered over REST).
 */
export class NativeConnect extends NativeService {
  readonly name = "connect";
  protected override readyTimeoutMs = 120_000;
  constructor(
    private dir: string,
    readonly port: number,
    private bootstrap: string,
  ) {
    super();
    requireInstalled("Kafka Connect", path.join(stack.connectLib, ".ok"));
    requireInstalled("Debezium", path.join(stack.debeziumPlugins, ".ok"));
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  protected spawnSpec(): SpawnSpec {
    const props = path.join(this.dir, "worker.properties");
    fs.mkdirSync(this.dir, { recursive: true });
    fs.writeFileSync(
      props,
      [
        `bootstrap.servers=${this.bootstrap}`,
        `listeners=http://127.0.0.1:${this.port}`,
        "key.converter=org.apache.kafka.connect.json.JsonConverter",
        "value.converter=org.apache.kafka.connect.json.JsonConverter",
        "key.converter.schemas.enable=false",
        "value.converter.schemas.enable=false",
        `group.id=dgh-connect-${this.port}`,
        `config.storage.topic=dgh-connect-${this.port}-configs`,
        `offset.storage.topic=dgh-connect-${this.port}-offsets`,
        `status.storage.topic=dgh-connect-${this.port}-status`,
        "config.storage.replication.factor=1",
        "offset.storage.replication.factor=1",
        "status.storage.replication.factor=1",
        "offset.storage.partitions=1",
        "status.storage.partitions=1",
        "scheduled.rebalance.max.delay.ms=0",
        "offset.flush.interval.ms=1000",
        `plugin.path=${stack.debeziumPlugins}`,
        "plugin.discovery=service_load",
        "",
      ].join("\n"),
    );
    return {
      name: this.name,
      command: stack.java,
      logFile: path.join(this.dir, "connect.log"),
      args: [
        ...smallJvm,
        "-XX:MaxMetaspaceSize=256m",
        `-Dlog4j2.configurationFile=${stack.log4jConfig}`,
        `-Dkafka.logs.dir=${this.dir}`,
        "-cp",
        `${stack.connectLib}/*`,
        "org.apache.kafka.connect.cli.ConnectDistributed",
        props,
      ],
    };
  }

  protected async ready(): Promise<boolean> {
    const r = await fetch(`${this.url}/connector-plugins`, { signal: AbortSignal.timeout(2000) });
    return r.ok && (await r.text()).includes("io.debezium.connector.postgresql.PostgresConnector");
  }
}
