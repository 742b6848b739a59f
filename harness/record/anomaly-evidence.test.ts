import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AnomalyCollector, EVIDENCE_IN_RECORD } from "../checkers/types.js";
import { anomaliesFile, recordEvidence } from "./anomaly-evidence.js";

describe("recordEvidence", () => {
  it("keeps every id in anomalies.jsonl and the first 50 in the record, with the count complete", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dgh-evidence-"));
    const lost = new AnomalyCollector();
    for (let i = 0; i < 120; i++) lost.add("lost", { id: `p${i}` });
    const kept = recordEvidence(dir, [lost.verdict("lost-charges", {})]);
    expect(kept[0]!.anomalies[0]!.count).toBe(120);
    expect(kept[0]!.anomalies[0]!.evidence).toHaveLength(EVIDENCE_IN_RECORD);
    const lines = fs
      .readFileSync(path.join(dir, anomaliesFile), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(120);
    expect(lines[119]).toEqual({ checker: "lost-charges", anomaly: "lost", evidence: { id: "p119" } });
    fs.rmSync(dir, { recursive: true });
  });
});
