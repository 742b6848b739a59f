import { GenericContainer, Network, Wait, type StartedNetwork, type StartedTestContainer } from "testcontainers";
import type { Environment, ServiceControl, ServiceEndpoints, ServiceName } from "./environment.js";
import { versions } from "./stack-paths.js";
import { freePort } from "../util/ports.js";

/**
 * The same stack from Testcontainers, for machines with a Docker engine. Host ports for Kafka and its proxy are
 * fixed before start, because Kafka must advertise them. Process faults: restart only (docker restart).
 * Not exercised on dgh's own CI, which has no Docker engine; the native environment is the reference.
 */
export class ContainersEnvironment implements Environment {
  readonly provider = "containers" as const;
  readonly kafkaVersion = versions.KAFKA_VERSION;
  readonly endpoints: Partial<Record<ServiceName, ServiceEndpoints>> = {};
  toxiproxyUrl?: string;
  private containers = new Map<string, StartedTestContainer>();
  private network?: StartedNetwork;

  static async start(): Promise<ContainersEnvironment> {
    const env = new ContainersEnvironment();
    try {
      await env.startAll();
      return env;
    } catch (e) {
      await env.teardown();
      throw e;
    }
  }

  private async startAll(): Promise<void> {
    const net = await new Network().start();
    this.network = net;
    const [kafkaPort, kafkaProxyPort] = [await freePort(), await freePort()];
    const toxiproxy = await new GenericContainer(`ghcr.io/shopify/toxiproxy:${versions.TOXIPROXY_VERSION}`)
      .withNetwork(net)
      .withNetworkAliases("toxiproxy")
      .withExposedPorts(8474, 8666, 8667, { container: 8668, host: kafkaProxyPort })
      .withWaitStrategy(Wait.forHttp("/version", 8474))
      .start();
    const [kafka, postgres, redis] = await Promise.all([
      new GenericContainer(`apache/kafka:${versions.KAFKA_VERSION}`)
        .withNetwork(net)
        .withNetworkAliases("kafka")
        .withExposedPorts({ container: 29092, host: kafkaPort })
        .withEnvironment({
          KAFKA_NODE_ID: "1",
          KAFKA_PROCESS_ROLES: "broker,controller",
          KAFKA_LISTENERS: "PLAINTEXT://:9092,CONTROLLER://:9093,HOST://:29092,TOXI://:19094",
          KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://kafka:9092,HOST://127.0.0.1:${kafkaPort},TOXI://127.0.0.1:${kafkaProxyPort}`,
          KAFKA_LISTENER_SECURITY_PROTOCOL_MAP:
            "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,HOST:PLAINTEXT,TOXI:PLAINTEXT",
          KAFKA_CONTROLLER_LISTENER_NAMES: "CONTROLLER",
          KAFKA_CONTROLLER_QUORUM_VOTERS: "1@kafka:9093",
          KAFKA_INTER_BROKER_LISTENER_NAME: "PLAINTEXT",
          KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: "1",
          KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: "1",
          KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: "1",
          KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: "0",
        })
        .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
        .start(),
      new GenericContainer(`postgres:${versions.POSTGRES_MAJOR}`)
        .withNetwork(net)
        .withNetworkAliases("postgres")
        .withEnvironment({ POSTGRES_PASSWORD: "postgres", POSTGRES_DB: "dgh" })
        .withExposedPorts(5432)
        .withCommand(["postgres", "-c", "wal_level=logical", "-c", "fsync=off", "-c", "max_connections=200"])
        .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2))
        .start(),
      new GenericContainer("redis:7")
        .withNetwork(net)
        .withNetworkAliases("redis")
        .withExposedPorts(6379)
        .withCommand(["redis-server", "--save", "", "--appendonly", "no"])
        .start(),
    ]);
    this.containers.set("toxiproxy", toxiproxy).set("kafka", kafka).set("postgres", postgres).set("redis", redis);
    this.toxiproxyUrl = `http://${toxiproxy.getHost()}:${toxiproxy.getMappedPort(8474)}`;
    const proxies = [
      { name: "postgres", listen: "0.0.0.0:8666", upstream: "postgres:5432" },
      { name: "redis", listen: "0.0.0.0:8667", upstream: "redis:6379" },
      { name: "kafka", listen: "0.0.0.0:8668", upstream: "kafka:19094" },
    ];
    const r = await fetch(`${this.toxiproxyUrl}/populate`, { method: "POST", body: JSON.stringify(proxies) });
    if (!r.ok) throw new Error(`could not create Toxiproxy proxies: ${await r.text()}`);
    const at = (c: StartedTestContainer, p: number) => ({ host: c.getHost(), port: c.getMappedPort(p) });
    this.endpoints.kafka = {
      direct: { host: "127.0.0.1", port: kafkaPort },
      proxied: { host: "127.0.0.1", port: kafkaProxyPort },
    };
    this.endpoints.postgres = { direct: at(postgres, 5432), proxied: at(toxiproxy, 8666) };
    this.endpoints.redis = { direct: at(redis, 6379), proxied: at(toxiproxy, 8667) };
  }

  async ensureTemporal(): Promise<ServiceEndpoints> {
    throw new Error(
      "the containers environment has no Temporal server yet: use the native one (the default), or external with DGH_TEMPORAL",
    );
  }

  async ensureConnect(): Promise<ServiceEndpoints> {
    if (!this.endpoints.connect) {
      const c = await new GenericContainer(
        `quay.io/debezium/connect:${versions.DEBEZIUM_VERSION!.split(".").slice(0, 2).join(".")}`,
      )
        .withNetwork(this.network!)
        .withExposedPorts(8083)
        .withEnvironment({
          BOOTSTRAP_SERVERS: "kafka:9092",
          GROUP_ID: "dgh",
          CONFIG_STORAGE_TOPIC: "connect_configs",
          OFFSET_STORAGE_TOPIC: "connect_offsets",
          STATUS_STORAGE_TOPIC: "connect_statuses",
        })
        .withWaitStrategy(Wait.forHttp("/connectors", 8083))
        .start();
      this.containers.set("connect", c);
      this.endpoints.connect = { direct: { host: c.getHost(), port: c.getMappedPort(8083) } };
    }
    return this.endpoints.connect;
  }

  control(service: ServiceName): ServiceControl {
    const c = this.containers.get(service);
    if (!c) throw new Error(`no ${service} container`);
    const unsupported = (what: string) => async () => {
      throw new Error(`${what} of ${service} is not supported by the containers environment; use the native one`);
    };
    return {
      kill: unsupported("kill -9"),
      pause: unsupported("SIGSTOP"),
      resume: unsupported("SIGCONT"),
      restart: () => c.restart(),
    };
  }

  async teardown(): Promise<void> {
    await Promise.all([...this.containers.values()].map((c) => c.stop().catch(() => {})));
    await this.network?.stop().catch(() => {});
  }
  async [Symbol.asyncDispose](): Promise<void> {
    await this.teardown();
  }
}
