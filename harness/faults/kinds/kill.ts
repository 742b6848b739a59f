import { FaultNotApplied, processTarget, type FaultKind } from "../fault-kind.js";
import { processTargetField } from "../fault-fields.js";
import { processState } from "../../util/process-state.js";

/** SIGKILL a service or worker; it is started again (same port, same data) when the fault ends. */
const kill: FaultKind = {
  kind: "kill",
  help: ["kill:relay@5+2            SIGKILL a worker or service, restart at the end"],
  parse: (_word, target) => ({ kind: "kill", target }),
  validate: (spec, ctx) => {
    processTargetField(spec, ctx);
  },
  describe: (spec) => `kill ${String(spec.target)}`,
  async apply(spec, t) {
    const control = processTarget(t, String(spec.target));
    const pid = control.pid;
    await control.kill();
    if (processState(pid) !== "gone")
      throw new FaultNotApplied(`${String(spec.target)} (pid ${pid}) is still alive after SIGKILL`);
    return {
      proof: { pid, killed: true },
      async heal() {
        await control.restart();
        return { restartedPid: control.pid };
      },
    };
  },
};
export default kill;
