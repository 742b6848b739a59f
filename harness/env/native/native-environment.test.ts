import { describe, expect, it } from "vitest";
import fs from "node:fs";
import net from "node:net";
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { NativeEnvironment } from "./native-environment.js";
import { ExternalEnvironment } from "../external.js";
import { isListening } from "../../util/ports.js";
import { pidAlive } from "../../util/process.js";
import { processState } from "../../util/process-state.js";
import { repoRoot } from "../stack-paths.js";

const run = promisify(execFile);
const dgh = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  run("node", ["--import", "tsx", "harness/cli/main.ts", ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

describe("native environment lifecycle", () => {
  it("two stacks start at once without colliding, and each comes down leaving nothing running or listening", async () => {
    const [a, b] = await Promise.all([NativeEnvironment.start(), NativeEnvironment.start()]);
    const ports = (e: NativeEnvironment) =>
      Object.values(e.endpoints)
        .flatMap((s) => [s.direct.port, s.proxied?.port ?? 0])
        .filter(Boolean);
    expect(new Set([...ports(a), ...ports(b)]).size).toBe(ports(a).length + ports(b).length);
    const pids = [...Object.values(a.pids()), ...Object.values(b.pids())] as number[];
    expect(pids.every(pidAlive)).toBe(true);
    await Promise.all([a.teardown(), b.teardown()]);
    expect(pids.filter(pidAlive)).toEqual([]);
    for (const p of [...ports(a), ...ports(b)]) expect(await isListening(p)).toBe(false);
    expect(fs.existsSync(a.dir)).toBe(false);
  });

  it("`dgh env up | status | down` holds a stack across commands and stops only its own pids", async () => {
    const name = `t${process.pid}`;
    const up = await dgh(["env", "up", "--name", name]);
    expect(up.code, up.out).toBe(0);
    const port = Number(/DGH_KAFKA=127\.0\.0\.1:(\d+)/.exec(up.out)?.[1]);
    expect(await isListening(port)).toBe(true);
    const again = await dgh(["env", "up", "--name", name]);
    expect(again.code).toBe(1);
    expect(again.out).toContain("already up");
    const status = await dgh(["env", "status", "--name", name]);
    expect(status.code, status.out).toBe(0);
    expect(status.out).toMatch(/kafka\s+pid \d+ running/);
    const down = await dgh(["env", "down", "--name", name]);
    expect(down.out).toContain("4 process(es) stopped");
    expect(await isListening(port)).toBe(false);
  });
});

describe("orphaned stacks", () => {
  it("a stack whose harness was SIGKILLed is stopped by `dgh env gc`, and only its own processes", async () => {
    // A harness in its own process starts a stack, says where, and is then killed without any cleanup.
    const script = `import { NativeEnvironment } from ${JSON.stringify(`${repoRoot}/harness/env/native/native-environment.ts`)};
      const env = await NativeEnvironment.start(); process.send(env.dir); setInterval(() => {}, 1000);`;
    const owner = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: repoRoot,
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    const dir = await new Promise<string>((resolve) => owner.once("message", (m) => resolve(String(m))));
    const stack = JSON.parse(fs.readFileSync(`${dir}/stack.json`, "utf8")) as {
      ownerPid: number;
      processes: { name: string; pid: number }[];
    };
    expect(stack.ownerPid).toBe(owner.pid);
    expect(stack.processes.map((p) => p.name).sort()).toEqual(["kafka", "postgres", "redis", "toxiproxy"]);
    owner.kill("SIGKILL");
    await new Promise((r) => owner.once("exit", r));
    expect(stack.processes.every((p) => pidAlive(p.pid))).toBe(true);
    const gc = await dgh(["env", "gc"]);
    expect(gc.out, gc.out).toMatch(new RegExp(`stopped an orphaned stack \\(owner pid ${owner.pid} is gone\\)`));
    expect(
      stack.processes.filter((p) => processState(p.pid) !== "gone"),
      gc.out,
    ).toEqual([]);
    expect(fs.existsSync(dir)).toBe(false);
  });
});

describe("bad input gets a clear message that says what to do", () => {
  it("a missing binary names the piece and the install command", async () => {
    const r = await dgh(["env", "up", "--name", `missing${process.pid}`], { DGH_HOME: "/nonexistent-dgh-home" });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/is not installed .*Run `npm run setup`/);
  });

  it("an occupied port is named, with how to find its holder", async () => {
    const srv = net.createServer().listen(0, "127.0.0.1");
    await new Promise((r) => srv.once("listening", r));
    const port = (srv.address() as net.AddressInfo).port;
    try {
      await expect(NativeEnvironment.start({ ports: { kafka: port } })).rejects.toThrow(
        new RegExp(`port ${port} .*already in use.*ss -ltnp`),
      );
    } finally {
      srv.close();
    }
  });

  it("an unreachable external endpoint is named, with how to start it", async () => {
    await expect(ExternalEnvironment.connect({ kafka: "127.0.0.1:1" })).rejects.toThrow(
      /kafka is not reachable at 127\.0\.0\.1:1.*docker compose up/,
    );
  });

  it("an unknown command lists the commands", async () => {
    const r = await dgh(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.out).toContain("dgh env up|status|down");
  });
});
