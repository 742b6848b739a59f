import type pg from "pg";
import type { Redis } from "ioredis";
import type { PaymentRequest } from "./payments-schema.js";

/** What a guard may use; each strategy folder has a guard.ts whose default export is a Guard. */
export interface GuardContext {
  pool: pg.Pool;
  redis: Redis;
  schema: string;
  /** Redis key prefix of this run (isolation). */
  prefix: string;
  ttlMs: number;
  /** Crash here if the harness armed this failpoint (a real SIGKILL between two steps). */
  failpoint(name: string, inFlight?: number): void;
}

/** The de-duplication strategy: charge `p` at most once (if it can), using `charge` for the side effect. */
export interface Guard {
  failpoints: readonly string[];
  process(
    ctx: GuardContext,
    p: PaymentRequest,
    charge: (c: pg.PoolClient) => Promise<void>,
  ): Promise<"charged" | "duplicate">;
}
