import { FaultNotApplied, type FaultKind } from "../fault-kind.js";
import { workerField } from "../fault-fields.js";

/** A worker shuts down gracefully (SIGTERM: a consumer finishes its message and leaves its group), started again at the end. */
const leave: FaultKind = {
  kind: "leave",
  help: ["leave:consumer-2@5+3      a worker stops gracefully (SIGTERM), starts again at the end"],
  parse: (_word, target) => ({ kind: "leave", target }),
  validate: (spec, ctx) => {
    workerField(spec, ctx);
  },
  describe: (spec) => `leave ${String(spec.target)}`,
  async apply(spec, t) {
    const w = t.workers.get(String(spec.target))!;
    const pid = w.pid;
    await w.stop();
    if (w.running) throw new FaultNotApplied(`${w.spec.name} (pid ${pid}) did not stop`);
    return {
      proof: { pid, stopped: true },
      async heal() {
        if (!w.running) await w.restart();
        return { restartedPid: w.pid };
      },
    };
  },
};
export default leave;
