import { describeClaims } from "../checkers/claims.js";
import type { LoadedRun } from "./load-run.js";
import { mdTable, ms, num, pct, ratio } from "./format.js";

/** The run's verdict first, then the evidence, the faults and the numbers. */
export function summaryMarkdown({ result: r, faults }: LoadedRun): string {
  const j = r.judgement;
  const control = r.strategy.control;
  const out: string[] = [];
  const verdictWord = j.result.toUpperCase();
  out.push(`# ${r.scenario.pattern}/${r.strategy.name}: ${verdictWord}${control ? " (control)" : ""}`, "");
  out.push(`${r.strategy.description}`, "");
  out.push(`- claims: **${describeClaims(r.strategy.claims)}**`);
  out.push(
    `- ${control ? `control, expected to fail with ${control.expectedAnomalies.join(" or ")}` : "reference"}: **${r.expectation.says}**`,
  );
  for (const f of j.faultsNotApplied) out.push(`- **fault did not apply**: ${f.fault}: ${f.error}`);
  out.push(
    `- seed ${r.scenario.seed}, ${r.scenario.durationS}s measured after ${r.scenario.warmupS}s warm-up (excluded from figures), ${r.scenario.workload.mode} loop ${r.scenario.workload.mode === "open" ? `at ${r.scenario.workload.rateOpsPerS} ops/s` : `with ${r.scenario.workload.concurrency} clients`}`,
  );
  out.push(`- reproduce: \`${r.reproduce}\``);
  out.push(
    `- environment: ${r.environment.provider}${r.environment.kafkaVersion ? `, Kafka ${r.environment.kafkaVersion}` : ""}; started ${r.startedAt}, wall ${num(r.wallMs / 1000, 1)} s`,
    "",
  );

  out.push("## Verdict", "");
  const rows = r.verdicts.map((v) => {
    const breaking = j.violations.filter((x) => x.checker === v.checker).map((x) => `${x.anomaly} ×${x.count}`);
    const allowed = j.allowed.filter((x) => x.checker === v.checker).map((x) => `${x.anomaly} ×${x.count} (allowed)`);
    const state =
      v.valid === "unknown"
        ? `unknown: ${v.error}`
        : breaking.length
          ? `**violates claim**: ${breaking.join(", ")}`
          : allowed.length
            ? allowed.join(", ")
            : "ok";
    return [
      v.checker,
      state,
      Object.entries(v.stats)
        .filter(([k]) => k !== "checkMs")
        .map(([k, x]) => `${k}=${Number.isInteger(x) ? x : x.toFixed(4)}`)
        .join(" "),
    ];
  });
  out.push(mdTable(["checker", "result", "stats"], rows), "");
  const dup = r.verdicts.find((v) => v.checker === "duplicate-delivery")?.stats.duplicateRate;
  if (dup !== undefined) out.push(`Duplicate delivery rate: ${pct(dup)} of deliveries.`, "");

  const withEvidence = r.verdicts.flatMap((v) => v.anomalies);
  if (withEvidence.length) {
    out.push("## Anomalies and evidence", "");
    for (const a of withEvidence) {
      out.push(`### ${a.name} (${a.count})`, "", "```json", ...a.evidence.map((e) => JSON.stringify(e)), "```", "");
      if (a.count > a.evidence.length)
        out.push(`…and ${a.count - a.evidence.length} more: every one is in [anomalies.jsonl](anomalies.jsonl).`, "");
    }
  }

  out.push("## Faults", "");
  if (!faults.length) out.push("No faults in this run.", "");
  else {
    out.push(
      mdTable(
        ["fault", "start (s)", "end (s)", "outcome", "proof or error", "ops inside (not ok)", "recovery (ms)"],
        faults.map((f, i) => [
          f.name,
          num(f.startS, 2),
          num(f.endS, 2),
          f.outcome === "applied" ? "applied" : `**${f.outcome ?? "no outcome"}**`,
          f.outcome === "applied"
            ? Object.entries(f.proof ?? {})
                .map(([k, v]) => `${k}=${String(v)}`)
                .join(" ")
            : (f.error ?? "the run ended while it was in force"),
          `${num(f.opsInside)} (${num(f.notOkInside)})`,
          !r.recoveryMs.length ? "–" : r.recoveryMs[i] == null ? "not in the run" : num(r.recoveryMs[i]!),
        ]),
      ),
      "",
    );
    out.push(
      "Recovery: from the fault's end until end-to-end latency is back under 3× the steady state before any fault (the best second's median before the first fault; at least 50 ms) and the next second's median is too. \"not in the run\": latency never came back before the run ended (a fault healing near the end has no time to).",
      "",
    );
  }

  out.push("## Throughput and latency", "");
  out.push(
    `Measured: ${num(r.measure.ok)} ok, ${num(r.measure.fail)} failed, ${num(r.measure.info)} unknown; **${num(r.measure.okPerS, 1)} ok ops/s**.` +
      (r.measure.behindMaxMs > 50
        ? ` The load generator fell up to ${num(r.measure.behindMaxMs)} ms behind schedule; latencies count from the intended start.`
        : ""),
    "",
  );
  out.push(
    mdTable(
      ["measure (ms)", "count", "p50", "p90", "p99", "p99.9", "max"],
      Object.entries(r.latency).map(([k, s]) => [
        k,
        num(s.count),
        ms(s.p50Us),
        ms(s.p90Us),
        ms(s.p99Us),
        ms(s.p999Us),
        ms(s.maxUs),
      ]),
    ),
    "",
  );
  if (r.baselines.length) {
    out.push("Raw baselines measured in this run (same machine, same minute):", "");
    const open = r.scenario.workload.mode === "open";
    out.push(
      mdTable(
        [
          "baseline",
          "ops/s",
          "p50 ms",
          "p99 ms",
          open ? "op p50 ÷ baseline p50" : "strategy ok ops/s ÷ baseline",
          "note",
        ],
        r.baselines.map((b) => {
          const opP50 =
            Object.entries(r.latency).find(([k]) => k !== "end-to-end" && !k.includes("("))?.[1]?.p50Us ?? 0;
          return [
            b.name,
            num(b.opsPerS),
            ms(b.latency?.p50Us),
            ms(b.latency?.p99Us),
            open ? ratio(opP50, b.latency?.p50Us ?? 0) : ratio(r.measure.okPerS, b.opsPerS),
            b.note,
          ];
        }),
      ),
      "",
    );
    if (open)
      out.push(
        "Open loop: the ok rate is the offered load, so throughput ratios need a closed-loop run; latency is compared instead.",
        "",
      );
  }
  if (Object.keys(r.strategyStats).length) {
    out.push(
      "## Strategy figures",
      "",
      mdTable(
        ["figure", "value"],
        Object.entries(r.strategyStats).map(([k, v]) => [k, num(v, Number.isInteger(v) ? 0 : 2)]),
      ),
      "",
    );
  }
  out.push(
    "## Quiesce",
    "",
    r.quiesce.drained
      ? `Every stage drained ${num(r.quiesce.waitedMs)} ms after the faults healed; checks ran after that.`
      : `**Work was still pending when the ${r.quiesce.boundS}s bound passed** (${r.quiesce.pending.map((p) => `${num(p.count)} in ${p.stage}`).join(", ")}): a missing id may still arrive, so \`lost\` is undecided (unknown), not FAIL.`,
    "",
  );
  return out.join("\n");
}
