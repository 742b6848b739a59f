import type { RunResult } from "../record/run-result.js";

export interface GateOutcome {
  /** false: a verdict changed or a ratio regressed past the threshold. */
  passed: boolean;
  /** What moved, one line each, regressions first. */
  lines: string[];
}

const key = (r: RunResult) => `${r.pattern}/${r.strategy} (scenario ${r.scenarioHash})`;
const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;

/**
 * The CI gate: each current result against the baseline result of the same scenario. It fails when a verdict
 * changed, or when a ratio to a raw baseline of the same run moved the wrong way by more than `maxRegression`
 * (0.1 = 10 %). Absolute figures are not gated: they measure the machine as much as the strategy.
 */
export function regressionGate(baseline: RunResult[], current: RunResult[], maxRegression: number): GateOutcome {
  const regressions: string[] = [];
  const moved: string[] = [];
  const byKey = new Map(baseline.map((b) => [key(b), b]));
  for (const c of current) {
    const b = byKey.get(key(c));
    byKey.delete(key(c));
    if (!b) {
      moved.push(`${key(c)}: new, no baseline (verdict ${c.verdict.toUpperCase()})`);
      continue;
    }
    if (b.verdict !== c.verdict)
      regressions.push(`${key(c)}: verdict ${b.verdict.toUpperCase()} → ${c.verdict.toUpperCase()}`);
    for (const [name, now] of Object.entries(c.ratios)) {
      const then = b.ratios[name];
      if (!then || then.value <= 0) continue;
      const change = now.value / then.value - 1;
      const regressed = now.worse === "higher" ? change > maxRegression : change < -maxRegression;
      const line = `${key(c)}: ${name} ${then.value.toFixed(2)} → ${now.value.toFixed(2)} (${pct(change)}, worse when ${now.worse})`;
      if (regressed) regressions.push(`${line} — past the ${pct(maxRegression).slice(1)} allowed`);
      else if (Math.abs(change) >= 0.01) moved.push(line);
    }
  }
  for (const k of byKey.keys()) moved.push(`${k}: in the baseline, not run now`);
  return {
    passed: regressions.length === 0,
    lines: [...regressions.map((l) => `REGRESSION ${l}`), ...moved],
  };
}

/** "10%", "10" or "0.1" → 0.1. */
export function parseRegression(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) throw new Error(`--max-regression must be a percentage like 10%, got "${text}"`);
  const v = Number(m[1]);
  return m[2] || v >= 1 ? v / 100 : v;
}
