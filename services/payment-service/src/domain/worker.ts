import { StorageBackoff, storageFault, type StorageFault } from '@shop/shared';
import type { Payments } from './payments.ts';

export interface PaymentWorker {
  /** Finishes the tick in progress and any background step, then stops. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /** Pause between two ticks (PAYMENT_WORKER_INTERVAL_MS). */
  intervalMs: number;
}

/**
 * The background half of the guarantees: at start it checks unfinished payments against Stripe and
 * resumes follow-ups left by a previous run; then, every interval, it reconciles payments whose
 * Stripe state is unknown and retries due follow-up steps (each with its own backoff). While the
 * store cannot be written, the pause between passes grows (StorageBackoff) instead of failing
 * every interval.
 */
export function startPaymentWorker(payments: Payments, options: WorkerOptions): PaymentWorker {
  const { logger } = payments;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const backoff = new StorageBackoff(options.intervalMs);

  /** Runs the tasks in turn; answers the storage fault that stopped the pass, if any. */
  const tick = async (first: boolean): Promise<StorageFault | undefined> => {
    let fault: StorageFault | undefined;
    const guarded = async (name: string, work: () => Promise<unknown> | unknown) => {
      if (fault) return; // the store cannot be written: this task would fail the same way
      try {
        await work();
      } catch (error) {
        fault = storageFault(error);
        if (!fault) logger.error({ err: error, task: name }, 'payment worker task failed');
      }
    };
    if (first) await guarded('reconcile unsettled payments', () => payments.reconcileUnsettled());
    await guarded('reconcile payments', () => payments.reconcileDue());
    await guarded('follow-ups', () => payments.followUps.runDue());
    await guarded('prune idempotency keys', () => payments.pruneIdempotencyKeys());
    return fault;
  };

  const schedule = (first: boolean) => {
    current = tick(first).then((fault) => {
      const delayMs = backoff.after(fault);
      if (fault) {
        logger.error(
          { code: fault.code, sqlite_code: fault.sqliteCode, retry_in_ms: delayMs },
          'payment worker stopped at a storage fault; backing off',
        );
      }
      // The start-up check of unsettled payments is repeated until a pass gets through.
      if (!stopped) timer = setTimeout(() => schedule(first && fault !== undefined), delayMs);
    });
  };
  schedule(true);
  logger.info({ interval_ms: options.intervalMs }, 'payment worker started');

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
      await payments.followUps.idle();
    },
  };
}
