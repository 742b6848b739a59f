import { InputError } from "../util/errors.js";

/** One option a strategy takes: its type, range, default and one line of meaning (shown by `dgh list`). */
export interface OptionSpec {
  type: "integer" | "number" | "string" | "boolean";
  /** For strings: the values allowed. */
  values?: readonly string[];
  min?: number;
  max?: number;
  default: string | number | boolean;
  description: string;
}
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

const numeric = /^-?\d+(\.\d+)?$/;

function coerce(name: string, spec: OptionSpec, v: unknown): string | number | boolean {
  const bad = (what: string): never => {
    throw new InputError(`option ${name} must be ${what}, got ${JSON.stringify(v)}`);
  };
  switch (spec.type) {
    case "boolean":
      if (typeof v === "boolean") return v;
      return v === "true" ? true : v === "false" ? false : bad("true or false");
    case "string": {
      const s = typeof v === "string" ? v : bad("a string");
      if (spec.values && !spec.values.includes(s)) bad(`one of ${spec.values.join(", ")}`);
      return s;
    }
    default: {
      const n =
        typeof v === "number"
          ? v
          : typeof v === "string" && numeric.test(v)
            ? Number(v)
            : bad(spec.type === "integer" ? "a whole number" : "a number");
      if (!Number.isFinite(n) || (spec.type === "integer" && !Number.isInteger(n)))
        bad(spec.type === "integer" ? "a whole number" : "a number");
      if (spec.min !== undefined && n < spec.min) bad(`>= ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) bad(`<= ${spec.max}`);
      return n;
    }
  }
}

/**
 * The options a run uses: declared defaults, then the strategy's own defaults, then the scenario's. An option
 * the strategy does not declare, or one of the wrong type, is bad input (exit 2) naming the allowed ones.
 */
export function resolveOptions(
  strategy: string,
  specs: OptionSpecs,
  defaults: Record<string, unknown>,
  given: Record<string, unknown>,
): Record<string, unknown> {
  const names = Object.keys(specs);
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, s.default]));
  for (const [k, v] of [...Object.entries(defaults), ...Object.entries(given)]) {
    const spec = specs[k];
    if (!spec)
      throw new InputError(
        `strategy ${strategy} has no option "${k}"; ${names.length ? `options: ${names.join(", ")} (\`dgh list\` says what each means)` : "it takes no options"}`,
      );
    out[k] = coerce(k, spec, v);
  }
  return out;
}

/** "batchSize (integer 1–10000, default 100): rows per poll" lines for `dgh list`. */
export function describeOptions(specs: OptionSpecs): string[] {
  return Object.entries(specs).map(([k, s]) => {
    const range = s.values
      ? s.values.join("|")
      : s.min !== undefined || s.max !== undefined
        ? `${s.type} ${s.min ?? ""}–${s.max ?? ""}`
        : s.type;
    return `${k} (${range}, default ${String(s.default)}): ${s.description}`;
  });
}
