import { FaultNotApplied, type FaultKind } from "../fault-kind.js";
import { failpointField } from "../fault-fields.js";
import { firedWithWork } from "../fired-with-work.js";
import { needsFailpoint } from "./pause-at.js";

/** The worker kills itself (SIGKILL) the next time it reaches a failpoint, e.g. relay after-publish. */
const crashAt: FaultKind = {
  kind: "crash-at",
  help: ["crash-at:relay:after-publish@3+4   the worker kills itself at that failpoint"],
  parse: (word, target, arg) => ({ kind: "crash-at", target, failpoint: needsFailpoint(word, target, arg) }),
  validate: (spec, ctx) => {
    failpointField(spec, ctx);
  },
  describe: (spec) => `crash ${String(spec.target)} at ${String(spec.failpoint)}`,
  async apply(spec, t) {
    const w = t.workers.get(String(spec.target))!;
    const pid = w.pid;
    w.armFailpoint(String(spec.failpoint));
    return {
      proof: { pid, armed: String(spec.failpoint) },
      async heal() {
        w.disarm();
        if (w.running)
          throw new FaultNotApplied(`${w.spec.name} did not reach ${String(spec.failpoint)} while the fault was held`);
        const work = firedWithWork(w, String(spec.failpoint));
        await w.restart();
        return { crashed: true, ...work, restartedPid: w.pid };
      },
    };
  },
};
export default crashAt;
