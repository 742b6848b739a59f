import type pg from "pg";
import type { Command, Reply } from "./saga-schema.js";

/**
 * What a participant does with a command, inside the caller's transaction. Forward steps can fail for business
 * reasons (no stock, card declined) and then change nothing. A compensation undoes only what its saga still holds
 * (a release after a failed reserve releases nothing), so it is safe to send whatever happened before.
 * `refundAll` (the non-idempotent-refund control) pays back the order's amount whatever is still held.
 */
export async function applyCommand(
  db: pg.PoolClient,
  schema: string,
  c: Command,
  opts: { refundAll?: boolean } = {},
): Promise<Reply> {
  const reply = (ok: boolean, reason?: string): Reply => ({
    commandId: c.commandId,
    sagaId: c.sagaId,
    type: c.type,
    ok,
    ...(reason ? { reason } : {}),
  });
  const effect = (kind: string, amount: number) =>
    c.type === "reserve" || c.type === "release"
      ? db.query(`insert into ${schema}.dgh_effects (saga_id, kind, sku, amount) values ($1, $2, $3, $4)`, [
          c.sagaId,
          kind,
          c.sku,
          amount,
        ])
      : db.query(`insert into ${schema}.dgh_effects (saga_id, kind, amount) values ($1, $2, $3)`, [
          c.sagaId,
          kind,
          amount,
        ]);
  const held = async (plus: string, minus: string) => {
    const { rows } = await db.query<{ n: string }>(
      `select coalesce(sum(case kind when $2 then amount else -amount end), 0) n from ${schema}.dgh_effects where saga_id = $1 and kind in ($2, $3)`,
      [c.sagaId, plus, minus],
    );
    return Number(rows[0]!.n);
  };
  switch (c.type) {
    case "reserve": {
      const r = await db.query(
        `update ${schema}.dgh_stock set available = available - $2, lowest = least(lowest, available - $2)
        where sku = $1 and available >= $2`,
        [c.sku, c.qty],
      );
      if (!r.rowCount) return reply(false, "sold out");
      await effect("reserve", c.qty);
      return reply(true);
    }
    case "release": {
      const qty = await held("reserve", "release");
      if (qty > 0) {
        await db.query(`update ${schema}.dgh_stock set available = available + $2 where sku = $1`, [c.sku, qty]);
        await effect("release", qty);
      }
      return reply(true);
    }
    case "charge":
      if (c.card === "declined") return reply(false, "card declined");
      await effect("charge", c.amount);
      return reply(true);
    case "refund": {
      const amount = opts.refundAll ? c.amount : await held("charge", "refund");
      if (amount > 0) await effect("refund", amount);
      return reply(true);
    }
  }
}

/**
 * The command applied once (the db-unique guard): its id is claimed in the same transaction as its effect, and a
 * redelivery gets the reply stored the first time. Returns the reply and whether this delivery applied it.
 */
export async function applyOnce(
  db: pg.PoolClient,
  schema: string,
  c: Command,
): Promise<{ reply: Reply; applied: boolean }> {
  const claimed = await db.query(
    `insert into ${schema}.dgh_processed (command_id, reply) values ($1, '{}') on conflict do nothing`,
    [c.commandId],
  );
  if (!claimed.rowCount) {
    const { rows } = await db.query<{ reply: Reply }>(
      `select reply from ${schema}.dgh_processed where command_id = $1`,
      [c.commandId],
    );
    return { reply: rows[0]!.reply, applied: false };
  }
  const reply = await applyCommand(db, schema, c);
  await db.query(`update ${schema}.dgh_processed set reply = $2 where command_id = $1`, [c.commandId, reply]);
  return { reply, applied: true };
}
