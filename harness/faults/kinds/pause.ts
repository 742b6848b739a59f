import { FaultNotApplied, processTarget, type FaultKind } from "../fault-kind.js";
import { processTargetField } from "../fault-fields.js";
import { processState } from "../../util/process-state.js";

/** SIGSTOP a service or worker (it holds its connections but answers nothing); SIGCONT when the fault ends. */
const pause: FaultKind = {
  kind: "pause",
  help: ["pause:kafka@5+2           SIGSTOP, SIGCONT at the end"],
  parse: (_word, target) => ({ kind: "pause", target }),
  validate: (spec, ctx) => {
    processTargetField(spec, ctx);
  },
  describe: (spec) => `pause ${String(spec.target)}`,
  async apply(spec, t) {
    const control = processTarget(t, String(spec.target));
    const pid = control.pid;
    await control.pause();
    if (processState(pid) !== "stopped")
      throw new FaultNotApplied(
        `${String(spec.target)} (pid ${pid}) is not stopped after SIGSTOP (state ${processState(pid)})`,
      );
    return {
      proof: { pid, stopped: true },
      async heal() {
        await control.resume();
        return { resumed: processState(pid) === "running" };
      },
    };
  },
};
export default pause;
