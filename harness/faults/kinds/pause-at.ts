import { InputError } from "../../util/errors.js";
import { FaultNotApplied, type FaultKind } from "../fault-kind.js";
import { firedWithWork } from "../fired-with-work.js";
import { failpointField } from "../fault-fields.js";

export function needsFailpoint(word: string, target: string, arg: string | undefined): string {
  if (!arg)
    throw new InputError(`--fault ${word}:${target}: ${word} needs a failpoint, e.g. ${word}:relay:after-publish@3+4`);
  return arg;
}

/** The worker stops itself (SIGSTOP) at a failpoint and is resumed (SIGCONT) at the end: a zombie caught mid-step. */
const pauseAt: FaultKind = {
  kind: "pause-at",
  help: ["pause-at:processor:after-produce@2+9   the worker stops itself there, resumed at the end (a zombie)"],
  parse: (word, target, arg) => ({ kind: "pause-at", target, failpoint: needsFailpoint(word, target, arg) }),
  validate: (spec, ctx) => {
    failpointField(spec, ctx);
  },
  describe: (spec) => `pause ${String(spec.target)} at ${String(spec.failpoint)}`,
  async apply(spec, t) {
    const w = t.workers.get(String(spec.target))!;
    w.armFailpoint(`pause:${String(spec.failpoint)}`);
    return {
      proof: { pid: w.pid, armed: String(spec.failpoint) },
      async heal() {
        w.disarm();
        const fired = w.stopped();
        await w.resume();
        if (!fired)
          throw new FaultNotApplied(`${w.spec.name} did not reach ${String(spec.failpoint)} while the fault was held`);
        return { fired: true, ...firedWithWork(w, String(spec.failpoint)) };
      },
    };
  },
};
export default pauseAt;
