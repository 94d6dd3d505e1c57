import { createPollingWorker, isStorageFault, type Logger, type PollingWorker } from '@shop/shared';
import type { PaymentStore } from '../data/paymentStore.ts';
import type { CardAttempts } from './cardAttempts.ts';
import type { FollowUpRunner } from './followUps.ts';
import type { Intents } from './stripeIntents.ts';

const SYNC_BATCH = 50;
const RESUME_BATCH = 200;

export interface PaymentWorkerDeps {
  store: PaymentStore;
  intents: Intents;
  followUps: FollowUpRunner;
  logger: Logger;
  intervalMs: number;
  /** How long Idempotency-Key answers are kept (PAYMENT_IDEMPOTENCY_RETENTION_HOURS). */
  idempotencyRetentionMs: number;
  /** The card declines, forgotten once no cap looks at them. */
  attempts: CardAttempts;
}

/**
 * The background half of the guarantees. At start it checks unfinished payments against Stripe (a
 * webhook may have been missed while the service was down) and resumes follow-ups left by a previous
 * run; then, every interval, it reconciles payments whose Stripe state is unknown (timeouts,
 * crashes), retries due follow-up steps (each with its own backoff) and forgets old idempotency keys
 * and card declines.
 */
export function createPaymentWorker(deps: PaymentWorkerDeps): PollingWorker & {
  reconcileDue(): Promise<void>;
} {
  const { store, intents, followUps, logger } = deps;

  async function reconcileDue() {
    for (const payment of store.paymentsToSync(Date.now(), SYNC_BATCH)) await intents.reconcile(payment.id);
  }

  // A task's failure is logged and the next task runs; a storage fault ends the pass, since every
  // task would fail the same way, and the loop backs off.
  const guarded = async (task: string, work: () => Promise<unknown> | unknown) => {
    try {
      await work();
    } catch (error) {
      if (isStorageFault(error)) throw error;
      logger.error({ err: error, task }, 'payment worker task failed');
    }
  };

  const loop = createPollingWorker({
    name: 'payment-worker',
    intervalMs: deps.intervalMs,
    logger,
    tick: async (first) => {
      if (first) {
        await guarded('reconcile unsettled payments', async () => {
          for (const payment of store.unsettledPayments(RESUME_BATCH)) await intents.reconcile(payment.id);
        });
      }
      await guarded('reconcile payments', reconcileDue);
      await guarded('follow-ups', () => followUps.runDue());
      await guarded('prune idempotency keys', () =>
        store.idempotency.purge(Date.now() - deps.idempotencyRetentionMs),
      );
      await guarded('prune card declines', () => deps.attempts.purge());
    },
  });

  return {
    start: loop.start,
    async stop() {
      await loop.stop();
      await followUps.idle();
    },
    reconcileDue,
  };
}
