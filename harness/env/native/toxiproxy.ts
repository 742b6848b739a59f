import path from "node:path";
import { NativeService } from "./native-service.js";
import { stack, versions, requireInstalled } from "../stack-paths.js";
import type { SpawnSpec } from "../../util/process.js";

/** The Toxiproxy server: one proxy per service, created by the environment through its REST API. */
export class NativeToxiproxy extends NativeService {
  readonly name = "toxiproxy";
  constructor(
    private dir: string,
    readonly port: number,
  ) {
    super();
    requireInstalled("Toxiproxy", stack.toxiproxy);
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  protected spawnSpec(): SpawnSpec {
    return {
      name: this.name,
      command: stack.toxiproxy,
      // -proxy-metrics: bytes per proxy, so a fault can prove it touched a link something uses.
      args: ["-host", "127.0.0.1", "-port", String(this.port), "-proxy-metrics"],
      logFile: path.join(this.dir, "toxiproxy.log"),
      env: { ...process.env, LOG_LEVEL: "warn" },
    };
  }

  protected async ready(): Promise<boolean> {
    const r = await fetch(`${this.url}/version`, { signal: AbortSignal.timeout(1000) });
    return r.ok && (await r.text()).includes(versions.TOXIPROXY_VERSION ?? "");
  }
}
