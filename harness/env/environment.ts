/** The one interface every environment provider (native, containers, external) implements. */

/** The environment could not be started or reached; the message says what to do. The CLI exits 2. */
export class EnvironmentError extends Error {}

export type ServiceName = "kafka" | "postgres" | "redis" | "connect" | "temporal";
export type ProviderName = "native" | "containers" | "external";
export const providers: readonly ProviderName[] = ["native", "containers", "external"];
/** How a client reaches a service: straight, or through its Toxiproxy proxy so faults can be injected. */
export type Route = "direct" | "proxied";

export interface Endpoint {
  host: string;
  port: number;
}

export interface ServiceEndpoints {
  direct: Endpoint;
  /** Present when a Toxiproxy proxy stands in front of the service; its name is the service name. */
  proxied?: Endpoint;
}

/** Process faults on one service. Providers that cannot do one throw an error that says so. */
export interface ServiceControl {
  readonly pid?: number;
  kill(): Promise<void>; // SIGKILL, no restart
  pause(): Promise<void>; // SIGSTOP
  resume(): Promise<void>; // SIGCONT
  restart(): Promise<void>; // start again on the same port and data (after kill, or graceful stop first)
}

export interface Environment extends AsyncDisposable {
  readonly provider: ProviderName;
  readonly endpoints: Partial<Record<ServiceName, ServiceEndpoints>>;
  /** Toxiproxy's REST API, e.g. http://127.0.0.1:8474, when the environment has one. */
  readonly toxiproxyUrl?: string;
  /** Kafka broker version, when known (the client × broker table needs it). */
  readonly kafkaVersion?: string;
  control(service: ServiceName): ServiceControl;
  /** Starts Kafka Connect with Debezium if it is not running yet (only scenarios that need it pay for it). */
  ensureConnect(): Promise<ServiceEndpoints>;
  /** Starts Temporal's server if it is not running yet (the saga pattern's Temporal strategy needs it). */
  ensureTemporal(): Promise<ServiceEndpoints>;
  teardown(): Promise<void>;
}

export function endpoint(env: Environment, service: ServiceName, route: Route = "direct"): Endpoint {
  const e = env.endpoints[service];
  if (!e) throw new Error(`the ${env.provider} environment has no ${service}`);
  if (route === "proxied") {
    if (!e.proxied)
      throw new Error(
        `${service} has no Toxiproxy proxy in the ${env.provider} environment; use route "direct" or an environment with Toxiproxy`,
      );
    return e.proxied;
  }
  return e.direct;
}

export const kafkaBrokers = (env: Environment, route: Route = "direct") => {
  const e = endpoint(env, "kafka", route);
  return [`${e.host}:${e.port}`];
};

/** node-postgres connection settings. */
export const pgConfig = (env: Environment, route: Route = "direct", database = "dgh") => {
  const e = endpoint(env, "postgres", route);
  return { host: e.host, port: e.port, user: "postgres", password: "postgres", database };
};

export const redisUrl = (env: Environment, route: Route = "direct") => {
  const e = endpoint(env, "redis", route);
  return `redis://${e.host}:${e.port}`;
};
