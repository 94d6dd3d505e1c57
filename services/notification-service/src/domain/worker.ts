import { createPollingWorker, type Logger, type PollingWorker } from '@shop/shared';
import type { Delivery } from './delivery.ts';

export interface DeliveryWorkerDeps {
  delivery: Delivery;
  /** Held mails due for a look (see notifier.recheckHeld). */
  recheckHeld: () => Promise<number>;
  logger: Logger;
  /** Pause between two passes over the due mails. */
  intervalMs: number;
}

/**
 * Retries queued mails when their time comes, and takes over rows left in `sending` by a process
 * that died mid-send once their lease has run out: the shared polling loop over
 * `delivery.runDue()`. stop() waits for the try in progress and leaves other due mails to the next
 * start. All its state is in the store, so a restarted service resumes where the last one stopped.
 */
export function createDeliveryWorker({
  delivery,
  recheckHeld,
  logger,
  intervalMs,
}: DeliveryWorkerDeps): PollingWorker {
  let stopping = false;
  const loop = createPollingWorker({
    name: 'delivery-worker',
    intervalMs,
    logger,
    tick: async () => {
      await delivery.runDue(() => stopping);
      if (!stopping) await recheckHeld();
    },
  });
  return {
    start() {
      stopping = false;
      loop.start();
    },
    async stop() {
      stopping = true;
      await loop.stop();
    },
  };
}
