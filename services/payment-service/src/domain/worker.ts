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
 * Stripe state is unknown and retries due follow-up steps (each with its own backoff).
 */
export function startPaymentWorker(payments: Payments, options: WorkerOptions): PaymentWorker {
  const { logger } = payments;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const guarded = async (name: string, work: () => Promise<unknown> | unknown) => {
    try {
      await work();
    } catch (error) {
      logger.error({ err: error, task: name }, 'payment worker task failed');
    }
  };

  const tick = async (first: boolean) => {
    if (first) await guarded('reconcile unsettled payments', () => payments.reconcileUnsettled());
    await guarded('reconcile payments', () => payments.reconcileDue());
    await guarded('follow-ups', () => payments.followUps.runDue());
    await guarded('prune idempotency keys', () => payments.pruneIdempotencyKeys());
  };

  const schedule = (first: boolean) => {
    current = tick(first).then(() => {
      if (!stopped) timer = setTimeout(() => schedule(false), options.intervalMs);
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
