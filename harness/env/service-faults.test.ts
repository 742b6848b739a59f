import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { Redis } from "ioredis";
import { Kafka, logLevel } from "kafkajs";
import { NativeEnvironment } from "./native/native-environment.js";
import { kafkaBrokers, pgConfig, redisUrl, type Route } from "./environment.js";
import { addToxic, healNetwork, setLink } from "../faults/toxics.js";
import { waitFor } from "../util/wait.js";

// Faults on the real stack: Toxiproxy toxics delay each service, a disabled proxy makes clients fail,
// and kill -9 / restart of each server is survived by clients that reconnect.
let env: NativeEnvironment;
beforeAll(async () => {
  env = await NativeEnvironment.start({ connect: true });
});
afterAll(async () => {
  await env?.teardown();
});

const pgRoundTrip = async (route: Route) => {
  const c = new pg.Client({ ...pgConfig(env, route), connectionTimeoutMillis: 2000, query_timeout: 3000 });
  await c.connect();
  try {
    return (await c.query("select 1 as one")).rows[0].one === 1;
  } finally {
    await c.end();
  }
};
const redisRoundTrip = async (route: Route) => {
  const r = new Redis(redisUrl(env, route), {
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    commandTimeout: 2000,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  r.on("error", () => {}); // the failure reaches us through the rejected command
  try {
    await r.connect();
    return (await r.ping()) === "PONG";
  } finally {
    r.disconnect();
  }
};
const kafkaRoundTrip = async (route: Route) => {
  const admin = new Kafka({
    brokers: kafkaBrokers(env, route),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.length > 0;
  } finally {
    await admin.disconnect();
  }
};
const roundTrips = { postgres: pgRoundTrip, redis: redisRoundTrip, kafka: kafkaRoundTrip } as const;

const timed = async (f: () => Promise<unknown>) => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};

describe.each(Object.keys(roundTrips) as (keyof typeof roundTrips)[])("%s through Toxiproxy", (service) => {
  const roundTrip = roundTrips[service];
  it("a latency toxic measurably delays the proxied route and not the direct one", async () => {
    await roundTrip("proxied");
    const before = await timed(() => roundTrip("proxied"));
    const remove = await addToxic(env, service, { type: "latency", attributes: { latency: 300, jitter: 0 } });
    try {
      const during = await timed(() => roundTrip("proxied"));
      const direct = await timed(() => roundTrip("direct"));
      expect(during - before).toBeGreaterThan(250);
      expect(direct).toBeLessThan(during);
    } finally {
      await remove();
    }
  });

  it("a disabled proxy (link down) makes the client fail, and enabling it heals", async () => {
    await setLink(env, service, false);
    try {
      await expect(roundTrip("proxied")).rejects.toThrow();
    } finally {
      await setLink(env, service, true);
    }
    await expect(roundTrip("proxied")).resolves.toBeTruthy();
  });
});

describe.each(Object.keys(roundTrips) as (keyof typeof roundTrips)[])("%s process faults", (service) => {
  const roundTrip = roundTrips[service];
  it("kill -9 makes clients fail; restart on the same port brings them back", async () => {
    const ctl = env.control(service);
    const pidBefore = ctl.pid;
    await ctl.kill();
    await expect(roundTrip("direct")).rejects.toThrow();
    await ctl.restart();
    expect(ctl.pid).not.toBe(pidBefore);
    await waitFor(`${service} back`, () => roundTrip("direct"), { timeoutMs: 30_000 });
    await expect(roundTrip("proxied")).resolves.toBeTruthy();
  });

  it("SIGSTOP stalls clients until SIGCONT", async () => {
    const ctl = env.control(service);
    await ctl.pause();
    try {
      await expect(roundTrip("direct")).rejects.toThrow();
    } finally {
      await ctl.resume();
    }
    await waitFor(`${service} resumed`, () => roundTrip("direct"), { timeoutMs: 30_000 });
  });
});

describe("connect process faults", () => {
  it("kill -9 and restart of the Connect worker: its REST API goes away and comes back", async () => {
    const url = `http://127.0.0.1:${env.endpoints.connect!.direct.port}`;
    await env.control("connect").kill();
    await expect(fetch(`${url}/connectors`)).rejects.toThrow();
    await env.control("connect").restart();
    expect(await (await fetch(`${url}/connectors`)).json()).toEqual([]);
  });
});

afterAll(async () => {
  if (env) await healNetwork(env);
});
