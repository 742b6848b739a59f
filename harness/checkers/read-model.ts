import { AnomalyCollector, type Checker, type SummaryRow } from "./types.js";

/**
 * Convergence: after quiesce, every row of the read model equals the fold of its key's committed events (the
 * write model). A row that applied more events than were committed counted some twice (`duplicate-effect`, the
 * double count a redelivery makes); any other difference, a missing row or a row where none should be is
 * `diverged` (an event lost, or applied out of order and settled on a stale value).
 */
export const readModelConvergence: Checker = {
  name: "read-model-convergence",
  names: ["diverged", "duplicate-effect"],
  check(_history, obs) {
    if (!obs.readModel) throw new Error("observation has no read model to compare with its write model");
    const { expected, actual } = obs.readModel;
    const a = new AnomalyCollector();
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      const e = expected[key] ?? null,
        x = actual[key] ?? null;
      if (sameRow(e, x)) continue;
      if (e && x && x.events > e.events)
        a.add("duplicate-effect", { key, expected: e, actual: x, appliedTwice: x.events - e.events });
      else a.add("diverged", { key, expected: e, actual: x });
    }
    return a.verdict(this.name, { keys: keys.size });
  },
};

const sameRow = (e: SummaryRow | null, x: SummaryRow | null) =>
  e === null || x === null
    ? e === x
    : e.orders === x.orders &&
      e.total === x.total &&
      e.status === x.status &&
      e.version === x.version &&
      e.events === x.events;

/**
 * Monotonic reads: a reader that has seen version n of a row never sees an older one afterwards (nor the row gone:
 * a read model rebuilt in place drops rows its readers had seen). Each drop is one `non-monotonic`, with the
 * versions before and after it.
 */
export const monotonicReads: Checker = {
  name: "monotonic-reads",
  names: ["non-monotonic"],
  check(_history, obs) {
    if (!obs.versionsSeen) throw new Error("observation has no versions seen by a reader");
    const a = new AnomalyCollector();
    let reads = 0;
    for (const [key, versions] of Object.entries(obs.versionsSeen)) {
      let highest = 0;
      for (const [i, v] of versions.entries()) {
        reads++;
        if (v < highest)
          a.add("non-monotonic", { key, saw: highest, later: v, change: i, ...(v === 0 && { gone: true }) });
        highest = Math.max(highest, v);
      }
    }
    return a.verdict(this.name, { keys: Object.keys(obs.versionsSeen).length, changesSeen: reads });
  },
};

/** The order summary a customer's events fold into, in version order: the reference every projection must equal. */
export function foldSummary(events: readonly SummaryEvent[]): SummaryRow {
  const row: SummaryRow = { orders: 0, total: 0, status: "", version: 0, events: 0 };
  for (const e of events) applyEvent(row, e);
  return row;
}

/** One event of a customer's order history, as the write side commits it and publishes it. */
export interface SummaryEvent {
  version: number;
  type: "OrderPlaced" | "OrderPaid" | "OrderCancelled";
  amount: number;
}

/** What one event does to a summary row: placing adds an order and its amount, a cancellation takes the amount back. */
export function applyEvent(row: SummaryRow, e: SummaryEvent): void {
  if (e.type === "OrderPlaced") {
    row.orders++;
    row.total += e.amount;
  } else if (e.type === "OrderCancelled") row.total -= e.amount;
  row.status = e.type;
  row.version = e.version;
  row.events++;
}
