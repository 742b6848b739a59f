import fs from "node:fs";
import type {
  Endpoint,
  Environment,
  ProviderName,
  ServiceControl,
  ServiceEndpoints,
  ServiceName,
} from "./environment.js";
import { isListening } from "../util/ports.js";

/**
 * Endpoints the user gives (after `docker compose up`, or their own cluster): from DGH_* variables
 * or a JSON file named by DGH_ENV_FILE. dgh cannot signal these processes, so process faults are refused.
 */
export interface ExternalConfig {
  kafka?: string; // host:port
  postgres?: string; // host:port
  redis?: string; // host:port
  connect?: string; // http://host:port
  temporal?: string; // host:port of Temporal's frontend gRPC
  toxiproxy?: string; // http://host:port; proxies named kafka/postgres/redis give the proxied routes
}

const parseHostPort = (what: string, v: string): Endpoint => {
  const m = /^([^:]+):(\d+)$/.exec(v.replace(/^\w+:\/\//, ""));
  if (!m) throw new Error(`${what} must look like 127.0.0.1:9092, got "${v}"`);
  return { host: m[1]!, port: Number(m[2]) };
};

export function externalConfigFromEnv(e: NodeJS.ProcessEnv = process.env): ExternalConfig | undefined {
  if (e.DGH_ENV_FILE) {
    try {
      return JSON.parse(fs.readFileSync(e.DGH_ENV_FILE, "utf8")) as ExternalConfig;
    } catch (err) {
      throw new Error(`DGH_ENV_FILE=${e.DGH_ENV_FILE} could not be read as JSON: ${(err as Error).message}`);
    }
  }
  const c: ExternalConfig = {
    kafka: e.DGH_KAFKA,
    postgres: e.DGH_POSTGRES,
    redis: e.DGH_REDIS,
    connect: e.DGH_CONNECT_URL,
    temporal: e.DGH_TEMPORAL,
    toxiproxy: e.DGH_TOXIPROXY_URL,
  };
  return Object.values(c).some(Boolean) ? c : undefined;
}

export class ExternalEnvironment implements Environment {
  readonly provider: ProviderName = "external";
  readonly endpoints: Partial<Record<ServiceName, ServiceEndpoints>> = {};
  toxiproxyUrl?: string;
  private constructor() {}

  /** Checks that every given endpoint answers, naming the one that does not and how to start it. */
  static async connect(config: ExternalConfig): Promise<ExternalEnvironment> {
    const env = new ExternalEnvironment();
    const services = ["kafka", "postgres", "redis"] as const;
    for (const s of services) {
      const v = config[s];
      if (!v) continue;
      const direct = parseHostPort(`the ${s} endpoint`, v);
      if (!(await isListening(direct.port, direct.host, 2000))) {
        throw new Error(
          `${s} is not reachable at ${direct.host}:${direct.port}. Start it (\`docker compose up -d\` in the dgh folder starts the whole stack), fix the address, or unset the DGH_* variables to let dgh start its own native stack.`,
        );
      }
      env.endpoints[s] = { direct };
    }
    if (config.connect) env.endpoints.connect = { direct: parseHostPort("the Connect URL", config.connect) };
    if (config.temporal) env.endpoints.temporal = { direct: parseHostPort("the Temporal address", config.temporal) };
    if (config.toxiproxy) {
      env.toxiproxyUrl = config.toxiproxy;
      const r = await fetch(`${config.toxiproxy}/proxies`, { signal: AbortSignal.timeout(3000) }).catch(
        () => undefined,
      );
      if (!r?.ok)
        throw new Error(
          `Toxiproxy is not reachable at ${config.toxiproxy}/proxies: start it or unset DGH_TOXIPROXY_URL`,
        );
      const proxies = (await r.json()) as Record<string, { listen: string }>;
      for (const s of services) {
        const p = proxies[s];
        if (p && env.endpoints[s])
          env.endpoints[s]!.proxied = parseHostPort(
            `proxy ${s}`,
            p.listen.replace(/^(0\.0\.0\.0|\[::\])/, "127.0.0.1"),
          );
      }
    }
    return env;
  }

  control(service: ServiceName): ServiceControl {
    throw new Error(
      `process faults on ${service} need an environment dgh started itself (native); the external one only has endpoints`,
    );
  }

  async ensureConnect(): Promise<ServiceEndpoints> {
    if (!this.endpoints.connect)
      throw new Error("no Kafka Connect endpoint: set DGH_CONNECT_URL (docker compose's is http://127.0.0.1:8083)");
    return this.endpoints.connect;
  }

  async ensureTemporal(): Promise<ServiceEndpoints> {
    if (!this.endpoints.temporal)
      throw new Error("no Temporal endpoint: set DGH_TEMPORAL (e.g. 127.0.0.1:7233, `temporal server start-dev`)");
    return this.endpoints.temporal;
  }

  async teardown(): Promise<void> {}
  async [Symbol.asyncDispose](): Promise<void> {}
}
