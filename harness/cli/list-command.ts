import { listPatterns, listStrategies, loadPattern, loadStrategy } from "../run/catalog.js";
import { describeClaims } from "../checkers/claims.js";

export async function listCommand(): Promise<number> {
  for (const p of listPatterns()) {
    const pattern = await loadPattern(p);
    console.log(`${p}: ${pattern.description}`);
    for (const s of listStrategies(p)) {
      const st = await loadStrategy(p, s);
      const workers = Object.entries(st.workers?.({}) ?? {}).map(([w, fps]) => `${w}${fps.length ? ` [${fps.join(", ")}]` : ""}`).join("; ");
      console.log(`  ${s.padEnd(14)} ${st.control ? "CONTROL " : ""}claims ${describeClaims(st.claims)}${st.control ? `; must fail with ${st.control.expectedAnomalies.join(" or ")}` : ""}`);
      if (workers) console.log(`  ${"".padEnd(14)} workers: ${workers}`);
    }
  }
  return 0;
}
