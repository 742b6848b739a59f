import { listPatterns, listStrategies, loadPattern, loadStrategy } from "../run/catalog.js";
import { describeClaims } from "../checkers/claims.js";
import { describeOptions, resolveOptions } from "../run/options.js";
import { faultKinds } from "../faults/fault-kinds.js";

export async function listCommand(): Promise<number> {
  for (const p of listPatterns()) {
    const pattern = await loadPattern(p);
    console.log(`${p}: ${pattern.description}`);
    for (const s of listStrategies(p)) {
      const st = await loadStrategy(p, s);
      const pad = "".padEnd(16);
      const defaults = resolveOptions(st.name, st.options ?? {}, st.defaults ?? {}, {});
      const workers = Object.entries(st.workers?.(defaults) ?? {})
        .map(([w, fps]) => `${w}${fps.length ? ` [${fps.join(", ")}]` : ""}`)
        .join("; ");
      console.log(
        `  ${s.padEnd(14)} ${st.control ? "CONTROL " : ""}claims ${describeClaims(st.claims)}${st.control ? `; must fail with ${st.control.expectedAnomalies.join(" or ")}` : ""}`,
      );
      if (workers) console.log(`${pad}workers: ${workers}`);
      for (const line of describeOptions(st.options ?? {})) console.log(`${pad}--option ${line}`);
    }
  }
  console.log(`\nfault kinds (harness/faults/kinds/): ${faultKinds.map((k) => k.kind).join(", ")}`);
  return 0;
}
