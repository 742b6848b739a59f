import { operations, type HistoryEvent } from "../history/events.js";
import { AnomalyCollector, type Checker, type Delivery, type Observation } from "./types.js";

/** Ids that must arrive: every op acknowledged ok, plus everything the source of truth committed. */
function mustArrive(
  history: readonly HistoryEvent[],
  obs: Observation,
): Map<string, { acked: boolean; committed: boolean }> {
  const m = new Map<string, { acked: boolean; committed: boolean }>();
  for (const o of operations(history)) if (o.outcome === "ok") m.set(o.id, { acked: true, committed: false });
  for (const id of obs.committed ?? []) m.set(id, { acked: m.get(id)?.acked ?? false, committed: true });
  return m;
}

/** lost: acknowledged or committed, but never delivered (or, with sink "effects", never applied). */
export const lost = (sink: "deliveries" | "effects" = "deliveries"): Checker => ({
  name: `lost-${sink}`,
  names: ["lost"],
  check(history, obs) {
    const got = new Set((sink === "deliveries" ? obs.deliveries : obs.effects)?.map((d) => d.id) ?? []);
    const a = new AnomalyCollector();
    const expected = mustArrive(history, obs);
    for (const [id, how] of expected) if (!got.has(id)) a.add("lost", { id, ...how });
    return a.verdict(this.name, { expected: expected.size, arrived: got.size });
  },
});

function countBy<T extends { id: string }>(xs: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const l = m.get(x.id);
    if (l) l.push(x);
    else m.set(x.id, [x]);
  }
  return m;
}

/** duplicate-delivery: an id delivered more than once (counted; only an exactly-once claim forbids it). */
export const duplicateDelivery: Checker = {
  name: "duplicate-delivery",
  names: ["duplicate-delivery"],
  check(_history, obs) {
    const a = new AnomalyCollector();
    const ds = obs.deliveries ?? [];
    let extra = 0;
    for (const [id, list] of countBy(ds))
      if (list.length > 1) {
        extra += list.length - 1;
        a.add("duplicate-delivery", {
          id,
          times: list.length,
          offsets: list.map((d) => `${d.partition ?? 0}@${d.offset ?? "?"}`),
        });
      }
    return a.verdict(this.name, {
      deliveries: ds.length,
      duplicateDeliveries: extra,
      duplicateRate: ds.length ? extra / ds.length : 0,
    });
  },
};

/** duplicate-effect: one id applied more than once, e.g. a payment charged twice. */
export const duplicateEffect: Checker = {
  name: "duplicate-effect",
  names: ["duplicate-effect"],
  check(_history, obs) {
    const a = new AnomalyCollector();
    const es = obs.effects ?? [];
    for (const [id, list] of countBy(es))
      if (list.length > 1) a.add("duplicate-effect", { id, times: list.length, amounts: list.map((e) => e.amount) });
    return a.verdict(this.name, { effects: es.length });
  },
};

/**
 * phantom: delivered, but never committed. With a source of truth, "committed" is what it holds;
 * without one, an id whose op failed (definitely did not happen) or was never invoked.
 */
export const phantom: Checker = {
  name: "phantom",
  names: ["phantom"],
  check(history, obs) {
    const a = new AnomalyCollector();
    const committed = obs.committed ? new Set(obs.committed) : undefined;
    const outcome = new Map(operations(history).map((o) => [o.id, o.outcome] as const));
    const seen = new Set<string>();
    for (const d of obs.deliveries ?? []) {
      if (seen.has(d.id)) continue;
      seen.add(d.id);
      const isPhantom = committed ? !committed.has(d.id) : outcome.get(d.id) === "fail" || !outcome.has(d.id);
      if (isPhantom)
        a.add("phantom", { id: d.id, key: d.key, op: outcome.get(d.id) ?? "never invoked", offset: d.offset });
    }
    return a.verdict(this.name, { distinctDelivered: seen.size });
  },
};

/**
 * reordered: per key, each newly seen id must carry a higher seq than any earlier one of that key
 * (redeliveries of ids already seen are duplicates, not reorders).
 */
export const perKeyOrder: Checker = {
  name: "per-key-order",
  names: ["reordered"],
  check(_history, obs) {
    const a = new AnomalyCollector();
    const maxSeq = new Map<string, Delivery>();
    const seen = new Set<string>();
    let keys = 0;
    for (const d of obs.deliveries ?? []) {
      if (d.key === undefined || d.seq === undefined || seen.has(d.id)) continue;
      seen.add(d.id);
      const prev = maxSeq.get(d.key);
      if (!prev) keys++;
      if (prev && d.seq <= prev.seq!) {
        a.add("reordered", {
          key: d.key,
          id: d.id,
          seq: d.seq,
          after: { id: prev.id, seq: prev.seq, offset: prev.offset },
          offset: d.offset,
        });
      } else maxSeq.set(d.key, d);
    }
    return a.verdict(this.name, { keys });
  },
};

/** aborted-read: a (read_committed) reader received a record that an aborted transaction wrote. */
export const abortedRead: Checker = {
  name: "aborted-read",
  names: ["aborted-read"],
  check(_history, obs) {
    const a = new AnomalyCollector();
    // An id can be written by an aborted transaction and again by a committed one (a retry): where positions are
    // known, only reading the aborted position is an aborted read.
    const at = (p?: number, o?: string) => `${p}@${o}`;
    const byPosition = new Set(
      obs.aborted?.filter((r) => r.offset !== undefined).map((r) => at(r.partition, r.offset)),
    );
    const byId = new Set(obs.aborted?.filter((r) => r.offset === undefined).map((r) => r.id));
    for (const d of obs.deliveries ?? []) {
      if (byId.has(d.id) || byPosition.has(at(d.partition, d.offset)))
        a.add("aborted-read", { id: d.id, offset: d.offset, partition: d.partition });
    }
    return a.verdict(this.name, { abortedWrites: obs.aborted?.length ?? 0 });
  },
};
