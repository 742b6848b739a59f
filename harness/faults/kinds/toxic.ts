import { InputError } from "../../util/errors.js";
import { FaultNotApplied, type FaultKind, type FaultSpec } from "../fault-kind.js";
import { onlyFields, proxiedServiceField } from "../fault-fields.js";
import { addToxic, proxyConnections, proxyState, toxicAttributes, type ToxicSpec, type ToxicType } from "../toxics.js";
import type { ServiceName } from "../../env/environment.js";

/** The flag's ARG sets the toxic's first attribute; without one, these defaults. */
const flagDefaults: Record<ToxicType, number> = {
  latency: 100,
  bandwidth: 10,
  slow_close: 1000,
  timeout: 0,
  reset_peer: 0,
  slicer: 64,
  limit_data: 1024,
};
const types = Object.keys(toxicAttributes) as ToxicType[];

function toxicOf(spec: FaultSpec): ToxicSpec {
  const t = spec.toxic;
  if (typeof t !== "object" || t === null)
    throw new InputError(`fault toxic: "toxic" must be an object { type, attributes, stream?, toxicity? }`);
  const toxic = t as Record<string, unknown>;
  onlyFields({ kind: "toxic", ...toxic }, ["type", "attributes", "stream", "toxicity"]);
  const type = toxic.type as ToxicType;
  if (!types.includes(type))
    throw new InputError(`fault toxic: unknown toxic type ${JSON.stringify(toxic.type)}; allowed: ${types.join(", ")}`);
  if (toxic.stream !== undefined && toxic.stream !== "upstream" && toxic.stream !== "downstream")
    throw new InputError(`fault toxic: stream must be upstream or downstream, got ${JSON.stringify(toxic.stream)}`);
  if (
    toxic.toxicity !== undefined &&
    !(typeof toxic.toxicity === "number" && toxic.toxicity >= 0 && toxic.toxicity <= 1)
  )
    throw new InputError(`fault toxic: toxicity must be a number from 0 to 1, got ${JSON.stringify(toxic.toxicity)}`);
  const attributes = toxic.attributes ?? {};
  if (typeof attributes !== "object" || attributes === null)
    throw new InputError(`fault toxic ${type}: attributes must be an object`);
  const allowed = toxicAttributes[type] as readonly string[];
  for (const [k, v] of Object.entries(attributes)) {
    if (!allowed.includes(k))
      throw new InputError(`fault toxic ${type}: no attribute "${k}"; allowed: ${allowed.join(", ")}`);
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
      throw new InputError(`fault toxic ${type}: attribute ${k} must be a number >= 0, got ${JSON.stringify(v)}`);
  }
  return toxic as unknown as ToxicSpec;
}

/** Any Toxiproxy toxic on a service's proxy (latency, bandwidth, timeout, reset_peer, slicer, …), removed at the end. */
const toxic: FaultKind = {
  kind: "toxic",
  flagWords: types,
  help: [
    "latency:postgres:200@5+3  Toxiproxy latency toxic (ms); also timeout:kafka:0, reset_peer:redis:0, bandwidth:kafka:10 (KB/s), slicer, slow_close, limit_data",
  ],
  parse(word, service, arg) {
    const type = word as ToxicType;
    const value = arg === undefined ? flagDefaults[type] : Number(arg);
    if (!Number.isFinite(value) || value < 0 || arg === "")
      throw new InputError(`--fault ${word}:${service}:${arg}: the ${toxicAttributes[type][0]} must be a number >= 0`);
    return { kind: "toxic", service, toxic: { type, attributes: { [toxicAttributes[type][0]]: value } } };
  },
  validate(spec) {
    proxiedServiceField(spec, ["toxic"]);
    toxicOf(spec);
  },
  describe(spec) {
    const t = spec.toxic as ToxicSpec;
    return `${t.type}(${Object.entries(t.attributes ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(",")}) on ${String(spec.service)} ${t.stream ?? "downstream"}`;
  },
  async apply(spec, t) {
    const service = spec.service as ServiceName;
    const toxicSpec = toxicOf(spec);
    const name = `dgh-${toxicSpec.type}-${Math.random().toString(36).slice(2, 8)}`;
    const connectionsAtStart = proxyConnections(t.env, service);
    const remove = await addToxic(t.env, service, toxicSpec, name);
    if (!(await proxyState(t.env, service)).toxics.includes(name))
      throw new FaultNotApplied(`toxic ${name} is not listed on the ${service} proxy`);
    return {
      proof: { proxy: service, toxic: name },
      async heal() {
        const connectionsAtEnd = proxyConnections(t.env, service);
        await remove();
        if (connectionsAtStart === undefined || connectionsAtEnd === undefined) return {};
        // A toxic on a link nothing held open while it was in force touched nothing: the run tested nothing.
        if (connectionsAtStart + connectionsAtEnd === 0)
          throw new FaultNotApplied(
            `no connection went through the ${service} proxy while the toxic was in force: nothing in this run uses that link`,
          );
        return { connectionsAtStart, connectionsAtEnd };
      },
    };
  },
};
export default toxic;
