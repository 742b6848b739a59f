import { FaultNotApplied, type FaultKind } from "../fault-kind.js";
import { proxiedServiceField } from "../fault-fields.js";
import { proxyConnections, proxyState, setLink } from "../toxics.js";
import type { ServiceName } from "../../env/environment.js";

/** A partition: the service's Toxiproxy proxy refuses and drops connections until the fault ends. */
const linkDown: FaultKind = {
  kind: "link-down",
  help: ["link-down:kafka@5+3       Toxiproxy proxy disabled (partition)"],
  parse: (_word, service) => ({ kind: "link-down", service }),
  validate: (spec) => {
    proxiedServiceField(spec);
  },
  describe: (spec) => `link down: ${String(spec.service)}`,
  async apply(spec, t) {
    const service = spec.service as ServiceName;
    // Cutting a link nothing holds open tests nothing: say so instead of passing.
    const connections = proxyConnections(t.env, service);
    if (connections === 0)
      throw new FaultNotApplied(`no connection is open through the ${service} proxy: cutting it tests nothing`);
    await setLink(t.env, service, false);
    if ((await proxyState(t.env, service)).enabled) throw new FaultNotApplied(`the ${service} proxy is still enabled`);
    return {
      proof: { proxy: service, enabled: false, ...(connections === undefined ? {} : { connectionsCut: connections }) },
      async heal() {
        await setLink(t.env, service, true);
        return { reenabled: (await proxyState(t.env, service)).enabled };
      },
    };
  },
};
export default linkDown;
