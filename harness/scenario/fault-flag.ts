import type { TimedFault } from "../faults/fault-spec.js";
import { faultKindForWord, faultKinds } from "../faults/fault-kinds.js";
import { InputError } from "../util/errors.js";

export const faultFlagHelp = `--fault KIND:TARGET[:ARG]@AT+FOR   (seconds into the measurement, held FOR seconds)\n${faultKinds
  .flatMap((k) => k.help)
  .map((l) => `    ${l}`)
  .join("\n")}`;

/** Parses the compact --fault form into a timed fault; its kind's plug-in reads TARGET and ARG. */
export function parseFaultFlag(flag: string): TimedFault {
  const m = /^([a-z_-]+):([^@:]+)(?::([^@]*))?@(\d+(?:\.\d+)?)\+(\d+(?:\.\d+)?)$/.exec(flag);
  if (!m) throw new InputError(`--fault "${flag}" does not parse\n${faultFlagHelp}`);
  const [, word, target, arg, at, hold] = m as unknown as [string, string, string, string | undefined, string, string];
  const kind = faultKindForWord(word);
  if (!kind) throw new InputError(`--fault ${flag}: unknown kind "${word}"\n${faultFlagHelp}`);
  return { atS: Number(at), forS: Number(hold), fault: kind.parse(word, target, arg) };
}
