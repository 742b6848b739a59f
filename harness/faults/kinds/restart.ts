import { FaultNotApplied, processTarget, type FaultKind } from "../fault-kind.js";
import { processTargetField } from "../fault-fields.js";

/** A graceful stop and start of a service or worker, at the fault's start (its hold is only time to recover). */
const restart: FaultKind = {
  kind: "restart",
  help: ["restart:postgres@5+0      graceful restart"],
  parse: (_word, target) => ({ kind: "restart", target }),
  validate: (spec, ctx) => {
    processTargetField(spec, ctx);
  },
  describe: (spec) => `restart ${String(spec.target)}`,
  async apply(spec, t) {
    const control = processTarget(t, String(spec.target));
    const pid = control.pid;
    await control.restart();
    // Containers have no pid to compare; a restart that returned is all the proof they give.
    if (pid !== undefined && control.pid === pid)
      throw new FaultNotApplied(`${String(spec.target)} kept pid ${pid}: it did not restart`);
    return { proof: { pid, restartedPid: control.pid }, heal: async () => ({}) };
  },
};
export default restart;
