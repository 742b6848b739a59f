import fs from "node:fs";
import { Toxiproxy } from "toxiproxy-node-client";
import type { Environment, ServiceName } from "../env/environment.js";

/** Every Toxiproxy toxic and the attributes it takes (ms unless named otherwise; slicer delay is µs). */
export const toxicAttributes = {
  latency: ["latency", "jitter"],
  bandwidth: ["rate"], // KB/s
  slow_close: ["delay"],
  timeout: ["timeout"], // 0 = hold the data forever
  reset_peer: ["timeout"],
  slicer: ["average_size", "size_variation", "delay"],
  limit_data: ["bytes"],
} as const;
export type ToxicType = keyof typeof toxicAttributes;
/** upstream = client → server, downstream = server → client. */
export type Stream = "upstream" | "downstream";

export interface ToxicSpec {
  type: ToxicType;
  stream?: Stream;
  toxicity?: number;
  attributes: Record<string, number>;
}

function api(env: Environment): Toxiproxy {
  if (!env.toxiproxyUrl)
    throw new Error(
      `the ${env.provider} environment has no Toxiproxy: network faults need one (use the native environment, or give DGH_TOXIPROXY_URL)`,
    );
  return new Toxiproxy(env.toxiproxyUrl);
}

/** Adds a toxic to a service's proxy; the returned function removes it (the fault's end). */
export async function addToxic(
  env: Environment,
  service: ServiceName,
  spec: ToxicSpec,
  name = `${spec.type}-${spec.stream ?? "downstream"}`,
): Promise<() => Promise<void>> {
  const proxy = await api(env).get(service);
  const toxic = await proxy.addToxic({
    name,
    type: spec.type,
    stream: spec.stream ?? "downstream",
    toxicity: spec.toxicity ?? 1,
    attributes: spec.attributes as never,
  });
  return async () => {
    await toxic.remove();
  };
}

/** Link down (partition) of a service: the proxy refuses and drops connections until enabled again. */
export async function setLink(env: Environment, service: ServiceName, enabled: boolean): Promise<void> {
  const proxy = await api(env).get(service);
  await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
}

/** The proxy as Toxiproxy reports it now: the proof that a link is down or a toxic is in place. */
export async function proxyState(
  env: Environment,
  service: ServiceName,
): Promise<{ enabled: boolean; toxics: string[] }> {
  api(env); // says clearly when there is no Toxiproxy
  // Read straight from the REST API: the client has no call that lists a proxy's toxics.
  const res = await fetch(`${env.toxiproxyUrl}/proxies/${service}`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`Toxiproxy answered ${res.status} for proxy ${service}`);
  const body = (await res.json()) as { enabled: boolean; toxics?: { name: string }[] };
  return { enabled: body.enabled, toxics: (body.toxics ?? []).map((t) => t.name) };
}

/**
 * Client connections open through a service's proxy now (ESTABLISHED on its listen port, from /proc/net/tcp):
 * the proof that a network fault touched a link something uses. Toxiproxy's own byte counters move only when a
 * connection closes, so they cannot say it. undefined where the proxy is not on this host (not native).
 */
export function proxyConnections(env: Environment, service: ServiceName): number | undefined {
  const port = env.endpoints[service]?.proxied?.port;
  if (env.provider !== "native" || port === undefined) return undefined;
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  let n = 0;
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const rows = fs.existsSync(table) ? fs.readFileSync(table, "utf8").split("\n").slice(1) : [];
    // Columns: sl local_address rem_address st …; state 01 is ESTABLISHED.
    for (const row of rows) {
      const [, local, , state] = row.trim().split(/\s+/);
      if (state === "01" && local?.endsWith(`:${hexPort}`)) n++;
    }
  }
  return n;
}

/** Heals every network fault: all proxies enabled, all toxics gone. */
export async function healNetwork(env: Environment): Promise<void> {
  if (env.toxiproxyUrl) await api(env).reset();
}
