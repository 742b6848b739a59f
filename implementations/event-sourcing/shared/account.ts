/**
 * The account aggregate: opened, deposited, withdrawn; a withdrawal may not make the balance negative.
 * Events are stored in their newest shape (v2); the upcaster turns v1 events (older code's shape) into v2 on read.
 */
export type AccountEvent =
  | { type: "Opened"; v: 2; data: { owner: string } }
  | { type: "Deposited"; v: 2; data: { amount: number; currency: string } }
  | { type: "Withdrawn"; v: 2; data: { amount: number; currency: string } };

/** The v1 shape: amounts were named `amt` and had no currency. */
export type StoredEvent = { type: string; v: number; data: Record<string, unknown> };

export function upcast(e: StoredEvent): AccountEvent {
  if (e.v === 1 && (e.type === "Deposited" || e.type === "Withdrawn")) {
    return { type: e.type, v: 2, data: { amount: Number(e.data.amt), currency: "EUR" } } as AccountEvent;
  }
  if (e.v !== 2) throw new Error(`no upcaster for ${e.type} v${e.v}`);
  return e as AccountEvent;
}

export interface AccountState {
  open: boolean;
  balance: number;
  deposits: number;
  withdrawals: number;
  version: number;
}
export const initial = (): AccountState => ({ open: false, balance: 0, deposits: 0, withdrawals: 0, version: 0 });

export function apply(s: AccountState, e: AccountEvent): AccountState {
  switch (e.type) {
    case "Opened":
      return { ...s, open: true, version: s.version + 1 };
    case "Deposited":
      return { ...s, balance: s.balance + e.data.amount, deposits: s.deposits + 1, version: s.version + 1 };
    case "Withdrawn":
      return { ...s, balance: s.balance - e.data.amount, withdrawals: s.withdrawals + 1, version: s.version + 1 };
  }
}

export const replay = (events: readonly StoredEvent[], from: AccountState = initial()) =>
  events.reduce((s, e) => apply(s, upcast(e)), from);

/** Decides a command against the current state: the events to append, or a rejection. */
export function decide(s: AccountState, cmd: { f: string; amount: number }): AccountEvent[] | { rejected: string } {
  const open: AccountEvent[] = s.open ? [] : [{ type: "Opened", v: 2, data: { owner: "workload" } }];
  if (cmd.f === "deposit") return [...open, { type: "Deposited", v: 2, data: { amount: cmd.amount, currency: "EUR" } }];
  if (cmd.f === "withdraw") {
    if (s.balance < cmd.amount) return { rejected: `insufficient funds: balance ${s.balance} < ${cmd.amount}` };
    return [...open, { type: "Withdrawn", v: 2, data: { amount: cmd.amount, currency: "EUR" } }];
  }
  throw new Error(`unknown command ${cmd.f}`);
}
