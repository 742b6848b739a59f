import type { Pattern } from "../../harness/run/contracts.js";
import { kafkaBrokers, pgConfig } from "../../harness/env/environment.js";
import { chooseKey } from "../../harness/workload/rng.js";
import { createTopics } from "../../harness/util/kafka-topics.js";
import { sagaOutcomes, stockConservation } from "../../harness/checkers/saga.js";
import { kafkaProduceBaseline, pgCommitBaseline } from "../../harness/metrics/baselines.js";
import { resilientPool } from "../../harness/util/pg-pool.js";
import { createSchemas, type Order, schemasFor, skus, soldOutSku, topicsFor } from "./shared/saga-schema.js";
import { startObserver } from "./shared/observer.js";
import { sagaProfile } from "./profile.js";

/**
 * Sagas: an order reserves stock, charges the customer and is confirmed; when a step fails, the steps before it
 * are undone in reverse (refund, release). The workload decides from the seed which orders fail and where:
 * the SKU is sold out (nothing to undo), the card is declined (release the stock), or confirmation fails after
 * both steps committed (refund, then release). Every saga must end completed or fully compensated.
 */
const saga: Pattern = {
  name: "saga",
  description:
    "every order's saga ends completed (stock reserved, charge taken) or fully compensated (nothing held): never half of one, never stuck, never refunded twice",
  nextOp(i, rng, w) {
    const soldOut = Number(w.params.soldOutRate ?? 0.05),
      declined = Number(w.params.declineRate ?? 0.1),
      confirmFails = Number(w.params.confirmFailRate ?? 0.1);
    const u = rng.next();
    const plan: Order["plan"] =
      u < soldOut
        ? "sold-out"
        : u < soldOut + declined
          ? "declined"
          : u < soldOut + declined + confirmFails
            ? "confirm-fails"
            : "complete";
    const value = {
      sku: plan === "sold-out" ? soldOutSku : rng.pick(skus),
      qty: rng.int(1, 3),
      amount: rng.int(5, 200),
      card: plan === "declined" ? "declined" : "ok",
      plan,
    };
    return { f: "order", id: `o${i}`, key: `customer-${chooseKey(rng, w)}`, value };
  },
  async setup(ctx) {
    const pool = resilientPool({ ...pgConfig(ctx.env, "direct"), max: 1 });
    try {
      await createSchemas(pool, schemasFor(ctx.runId));
    } finally {
      await pool.end();
    }
    await createTopics(
      kafkaBrokers(ctx.env, "direct"),
      Object.values(topicsFor(ctx.runId)),
      Number(ctx.workload.params.partitions ?? 3),
    );
    return startObserver(ctx, schemasFor(ctx.runId));
  },
  // One saga is 2–4 commands, as many replies and a dozen transactions: 50 orders/s keeps a 2-core machine ahead.
  workload: { rateOpsPerS: 50 },
  checkers: () => [sagaOutcomes, stockConservation],
  profile: sagaProfile,
  costFigures: {
    messagesPerSaga: "messages/saga",
    commandsPerSaga: "commands/saga",
    dbRowWritesPerSaga: "DB row writes/saga",
    orchestratorCpuMsPerS: "orchestrator CPU ms/s",
    participantsCpuMsPerS: "participants CPU ms/s",
    engineRssMiB: "orchestration engine RSS MiB",
  },
  async baselines(ctx, seconds) {
    return [await pgCommitBaseline(ctx, seconds), await kafkaProduceBaseline(ctx, seconds)];
  },
};
export default saga;
