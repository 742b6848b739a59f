import path from "node:path";
import net from "node:net";
import { NativeService } from "./native-service.js";
import { stack, requireInstalled } from "../stack-paths.js";
import type { SpawnSpec } from "../../util/process.js";

/** Redis without persistence: a restart loses every key, which is exactly the fault idempotency guards must face. */
export class NativeRedis extends NativeService {
  readonly name = "redis";
  constructor(
    private dir: string,
    readonly port: number,
  ) {
    super();
    requireInstalled("Redis", stack.redis);
  }

  protected spawnSpec(): SpawnSpec {
    return {
      name: this.name,
      command: stack.redis,
      logFile: path.join(this.dir, "redis.log"),
      args: [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        this.dir,
        "--daemonize",
        "no",
      ],
    };
  }

  protected ready(): Promise<boolean> {
    return new Promise((resolve) => {
      const s = net.connect(this.port, "127.0.0.1");
      s.setTimeout(1000, () => {
        s.destroy();
        resolve(false);
      });
      s.on("error", () => resolve(false));
      s.on("connect", () => s.write("PING\r\n"));
      s.on("data", (d) => {
        s.destroy();
        resolve(d.toString().startsWith("+PONG"));
      });
    });
  }
}
