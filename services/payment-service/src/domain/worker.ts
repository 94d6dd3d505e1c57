import { createPollingWorker, isStorageFault, type Logger, type PollingWorker } from '@shop/shared';
import type { PaymentStore } from '../data/paymentStore.ts';
import type { CardAttempts } from './cardAttempts.ts';
import type { FollowUpRunner } from './followUps.ts';
import type { Intents } from './stripeIntents.ts';

const SYNC_BATCH = 50;
const RESUME_PAGE = 200;

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
 * The background half of the guarantees. At start it checks every unsettled payment against Stripe,
 * page by page (a webhook may have been missed while the service was down), and resumes follow-ups
 * left by a previous run; then, every interval, it checks the unsettled payments that are due (each
 * with its own backoff: soon after a change or a failure, then less and less often), retries due
 * follow-up steps and forgets old idempotency keys
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
          let page = store.unsettledPage(undefined, RESUME_PAGE);
          while (page.length > 0) {
            for (const payment of page) await intents.reconcile(payment.id);
            page = store.unsettledPage(page.at(-1), RESUME_PAGE);
          }
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
