import type { FaultSpec, TimedFault } from "../faults/fault-spec.js";
import type { ServiceName } from "../env/environment.js";
import { ScenarioError } from "./load.js";

export const faultFlagHelp = `--fault KIND:TARGET[:ARG]@AT+FOR   (seconds into the measurement, held FOR seconds)
    kill:relay@5+2            SIGKILL a worker or service, restart at the end
    pause:kafka@5+2           SIGSTOP, SIGCONT at the end
    restart:postgres@5+0      graceful restart
    leave:consumer-2@5+3      a worker stops gracefully (SIGTERM), starts again at the end
    crash-at:relay:after-publish@3+4   the worker kills itself at that failpoint
    pause-at:processor:after-produce@2+9   the worker stops itself there, resumed at the end (a zombie)
    link-down:kafka@5+3       Toxiproxy proxy disabled (partition)
    latency:postgres:200@5+3  Toxiproxy latency toxic (ms); also timeout:kafka:0, reset_peer:redis:0, bandwidth:kafka:10`;

/** Parses the compact --fault form into a timed fault. */
export function parseFaultFlag(flag: string): TimedFault {
  const m = /^([a-z_-]+):([^@]+)@([\d.]+)\+([\d.]+)$/.exec(flag);
  if (!m) throw new ScenarioError(`--fault "${flag}" does not parse\n${faultFlagHelp}`);
  const [, kind, rest, at, hold] = m as unknown as [string, string, string, string, string];
  const [target, arg] = rest.split(":");
  const timed = (fault: FaultSpec): TimedFault => ({ atS: Number(at), forS: Number(hold), fault });
  switch (kind) {
    case "kill": case "pause": case "restart": case "leave": return timed({ kind, target: target! });
    case "crash-at": case "pause-at":
      if (!arg) throw new ScenarioError(`--fault ${flag}: ${kind} needs a failpoint, e.g. ${kind}:relay:after-publish@3+4`);
      return timed({ kind, target: target!, failpoint: arg });
    case "link-down": return timed({ kind, service: target as ServiceName });
    case "latency": return timed({ kind: "toxic", service: target as ServiceName, toxic: { type: "latency", attributes: { latency: Number(arg ?? 100), jitter: 0 } } });
    case "timeout": case "reset_peer": return timed({ kind: "toxic", service: target as ServiceName, toxic: { type: kind, attributes: { timeout: Number(arg ?? 0) } } });
    case "bandwidth": return timed({ kind: "toxic", service: target as ServiceName, toxic: { type: "bandwidth", attributes: { rate: Number(arg ?? 10) } } });
    default: throw new ScenarioError(`--fault ${flag}: unknown kind "${kind}"\n${faultFlagHelp}`);
  }
}
