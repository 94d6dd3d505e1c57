import { randomUUID } from 'node:crypto';
import { StorageBackoff, storageFault, withRequestId, type Logger, type StorageFault } from '@shop/shared';
import type { NotificationStore } from '../data/notificationStore.ts';
import { addMs, leaseMs } from './backoff.ts';
import type { Delivery } from './delivery.ts';

export interface WorkerDeps {
  store: NotificationStore;
  delivery: Delivery;
  logger: Logger;
  now: () => Date;
  intervalMs: number;
  /** Timeout of each Gmail call the worker makes. */
  sendTimeoutMs: number;
}

export interface DeliveryWorker {
  /** Starts polling for due mails; a no-op when running. */
  start(): void;
  /** Stops polling and waits for the try in progress, if any. */
  stop(): Promise<void>;
  /** Tries every mail that is due now, one after another; answers how many were tried. */
  runDue(): Promise<number>;
}

/**
 * Retries queued mails when their time comes, and takes over rows left in `sending` by a process
 * that died mid-send once their lease has run out. All its state is in the store, so a restarted
 * service resumes where the last one stopped. While the store cannot be written, the pause between
 * passes grows (StorageBackoff) instead of failing every interval.
 */
export function createDeliveryWorker(deps: WorkerDeps): DeliveryWorker {
  const { store, delivery, logger, now, intervalMs, sendTimeoutMs } = deps;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const backoff = new StorageBackoff(intervalMs);

  // One row at a time, so each lease starts when its own try does.
  const drain = async (keepGoing: () => boolean) => {
    let tried = 0;
    while (keepGoing()) {
      const at = now();
      const [record] = store.claimDue(at.toISOString(), addMs(at, leaseMs(sendTimeoutMs)), 1);
      if (!record) break;
      tried += 1;
      await delivery.attempt(record, sendTimeoutMs);
    }
    return tried;
  };

  const schedule = (delayMs: number) => {
    timer = setTimeout(tick, delayMs);
    timer.unref(); // never what keeps a process (or a test run) alive
  };

  async function pass(): Promise<StorageFault | undefined> {
    try {
      await withRequestId(`worker-${randomUUID()}`, () => drain(() => running));
    } catch (error) {
      const fault = storageFault(error);
      if (fault) return fault;
      logger.error({ err: error }, 'delivery worker pass failed');
    }
    return undefined;
  }

  function tick() {
    timer = undefined;
    current = pass().then((fault) => {
      const delayMs = backoff.after(fault);
      if (fault) {
        logger.error(
          { code: fault.code, sqlite_code: fault.sqliteCode, retry_in_ms: delayMs },
          'delivery worker stopped at a storage fault; backing off',
        );
      }
      if (running) schedule(delayMs);
    });
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
      await current;
    },
    runDue: () => drain(() => true),
  };
}
