import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { StorageBackoff } from '../db/storageBackoff.ts';
import { storageFault, type StorageFault } from '../db/storageFaults.ts';
import { withRequestId } from '../logging/requestContext.ts';

export interface PollingWorker {
  /** Starts ticking (the first tick at once); a no-op when running. */
  start(): void;
  /** Stops ticking and waits for the tick in progress, if any. */
  stop(): Promise<void>;
}

export interface PollingWorkerOptions {
  /** Named in its log lines. */
  name: string;
  /** Pause between the end of one tick and the start of the next. */
  intervalMs: number;
  logger: Logger;
  /**
   * One pass over the due work. `first` is true for the first tick after start(), and again after a
   * tick that a storage fault stopped, until one gets through (start-up checks are not skipped).
   */
  tick: (first: boolean) => Promise<unknown>;
}

/**
 * The background loop of a service: runs `tick`, waits `intervalMs`, runs it again, until stopped.
 * Ticks never overlap, each runs with a request id of its own (so its log lines and outbound calls
 * can be followed), a failed tick is logged and the loop goes on, and the timer never keeps a
 * process alive. While the store cannot be written (a full disk, a read-only file, a lock held
 * elsewhere) the pause between ticks grows (StorageBackoff) instead of failing every interval.
 * All the work's state is in the service's store, so a restarted loop resumes it.
 */
export function createPollingWorker({ name, intervalMs, logger, tick }: PollingWorkerOptions): PollingWorker {
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const backoff = new StorageBackoff(intervalMs);

  /** Runs one tick; answers the storage fault that stopped it, if one did. */
  const run = async (first: boolean): Promise<StorageFault | undefined> => {
    try {
      await withRequestId(`${name}-${randomUUID()}`, () => tick(first));
    } catch (error) {
      const fault = storageFault(error);
      if (fault) return fault;
      logger.error({ err: error, worker: name }, 'worker tick failed');
    }
    return undefined;
  };

  const schedule = (first: boolean, delayMs: number) => {
    timer = setTimeout(() => {
      timer = undefined;
      current = run(first).then((fault) => {
        const nextInMs = backoff.after(fault);
        if (fault) {
          logger.error(
            { worker: name, code: fault.code, sqlite_code: fault.sqliteCode, retry_in_ms: nextInMs },
            'worker stopped at a storage fault; backing off',
          );
        }
        if (running) schedule(first && fault !== undefined, nextInMs);
      });
    }, delayMs);
    timer.unref();
  };

  return {
    start() {
      if (running) return;
      running = true;
      schedule(true, 0);
      logger.info({ worker: name, interval_ms: intervalMs }, 'worker started');
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
      await current;
    },
  };
}
