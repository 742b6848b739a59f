import fs from "node:fs";
import path from "node:path";
import { NativeEnvironment } from "../env/native/native-environment.js";
import { dghHome, runRoot } from "../env/stack-paths.js";
import { gcStacks } from "../env/native/stack-file.js";
import { EnvironmentError, type ServiceEndpoints, type ServiceName } from "../env/environment.js";
import { cmdline, rssKiB } from "../util/proc-stats.js";
import { isListening } from "../util/ports.js";
import { pidAlive } from "../util/process.js";
import { sleep } from "../util/wait.js";

/** What `dgh env up` leaves behind so `status` and `down` can find (only) the processes it started. */
interface HeldEnv {
  name: string;
  dir: string;
  toxiproxyUrl?: string;
  endpoints: Partial<Record<ServiceName, ServiceEndpoints>>;
  processes: { name: string; pid: number; cmd: string }[];
}

const stateFile = (name: string) => path.join(dghHome, "envs", `${name}.json`);
const read = (name: string): HeldEnv | undefined => {
  try {
    return JSON.parse(fs.readFileSync(stateFile(name), "utf8")) as HeldEnv;
  } catch {
    return undefined;
  }
};

function exportsFor(h: HeldEnv): string[] {
  const hp = (s: ServiceName) => h.endpoints[s] && `${h.endpoints[s]!.direct.host}:${h.endpoints[s]!.direct.port}`;
  return [
    `export DGH_KAFKA=${hp("kafka")}`,
    `export DGH_POSTGRES=${hp("postgres")}`,
    `export DGH_REDIS=${hp("redis")}`,
    ...(h.toxiproxyUrl ? [`export DGH_TOXIPROXY_URL=${h.toxiproxyUrl}`] : []),
    ...(h.endpoints.connect ? [`export DGH_CONNECT_URL=http://${hp("connect")}`] : []),
  ];
}

function print(h: HeldEnv): void {
  console.log(`environment "${h.name}" (data and logs in ${h.dir})`);
  for (const [s, e] of Object.entries(h.endpoints)) {
    console.log(
      `  ${s.padEnd(9)} ${e.direct.host}:${e.direct.port}${e.proxied ? `   via toxiproxy ${e.proxied.host}:${e.proxied.port}` : ""}`,
    );
  }
  if (h.toxiproxyUrl) console.log(`  toxiproxy ${h.toxiproxyUrl}`);
  console.log("use it from another shell (PostgreSQL user postgres, password ignored, database dgh):");
  for (const line of exportsFor(h)) console.log(`  ${line}`);
}

export async function envCommand(sub: string | undefined, opts: { name: string; connect: boolean }): Promise<number> {
  const { name } = opts;
  switch (sub) {
    case "up": {
      const held = read(name);
      if (held?.processes.some((p) => pidAlive(p.pid))) {
        console.error(
          `environment "${name}" is already up; \`dgh env status\` shows it, \`dgh env down\` stops it, --name starts another`,
        );
        return 1;
      }
      const env = await NativeEnvironment.start({
        detached: true,
        connect: opts.connect,
        log: (l) => console.error(`[env] ${l}`),
      }).catch((e: Error) => {
        // A stack that cannot start is the machine's problem, with a fix in the message: exit 2, like bad input.
        throw new EnvironmentError(e.message);
      });
      const h: HeldEnv = {
        name,
        dir: env.dir,
        toxiproxyUrl: env.toxiproxyUrl,
        endpoints: env.endpoints,
        processes: env.services.filter((s) => s.pid).map((s) => ({ name: s.name, pid: s.pid!, cmd: cmdline(s.pid!) })),
      };
      fs.mkdirSync(path.dirname(stateFile(name)), { recursive: true });
      fs.writeFileSync(stateFile(name), JSON.stringify(h, null, 2));
      print(h);
      return 0;
    }
    case "status": {
      const h = read(name);
      if (!h) {
        console.log(`environment "${name}" is not up (\`dgh env up\` starts it)`);
        return 1;
      }
      print(h);
      let ok = true;
      for (const p of h.processes) {
        const alive = pidAlive(p.pid) && cmdline(p.pid) === p.cmd;
        ok &&= alive;
        console.log(
          `  ${p.name.padEnd(9)} pid ${p.pid} ${alive ? `running, ${Math.round(rssKiB(p.pid, true) / 1024)} MiB` : "NOT RUNNING"}`,
        );
      }
      for (const [s, e] of Object.entries(h.endpoints)) {
        if (!(await isListening(e.direct.port, e.direct.host))) {
          ok = false;
          console.log(`  ${s} does not answer on ${e.direct.port}`);
        }
      }
      return ok ? 0 : 1;
    }
    case "down": {
      const h = read(name);
      if (!h) {
        console.log(`environment "${name}" is not up`);
        return 0;
      }
      // Only pids whose command line is still the one we started: a reused pid is someone else's.
      const ours = h.processes.filter((p) => pidAlive(p.pid) && cmdline(p.pid) === p.cmd);
      for (const p of ours) process.kill(p.pid, p.name === "postgres" ? "SIGINT" : "SIGTERM");
      const deadline = Date.now() + 15_000;
      while (ours.some((p) => pidAlive(p.pid)) && Date.now() < deadline) await sleep(100);
      for (const p of ours) if (pidAlive(p.pid)) process.kill(p.pid, "SIGKILL");
      fs.rmSync(h.dir, { recursive: true, force: true });
      fs.rmSync(stateFile(name));
      console.log(`environment "${name}" is down (${ours.length} process(es) stopped)`);
      return 0;
    }
    case "gc": {
      const stopped = await gcStacks(runRoot, (l) => console.log(l));
      if (!stopped.length) console.log(`no orphaned stack under ${runRoot}`);
      return 0;
    }
    default:
      console.error("usage: dgh env up|status|down|gc [--name N] [--connect]");
      return 2;
  }
}
