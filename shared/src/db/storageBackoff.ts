import { pauseLockWaits } from './lockWaits.ts';
import type { StorageFault } from './storageFaults.ts';

/** The longest pause between two passes of a worker whose store keeps failing. */
export const STORAGE_BACKOFF_MAX_MS = 30_000;

/**
 * The pause before a background worker's next pass. While passes stop at a storage fault (a full
 * disk, a read-only file, a lock held elsewhere) it doubles from the worker's interval up to
 * STORAGE_BACKOFF_MAX_MS, instead of failing again every interval; a pass that gets through resets it.
 */
export class StorageBackoff {
  private faults = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly maxMs = STORAGE_BACKOFF_MAX_MS,
  ) {}

  /** Records how a pass ended (the storage fault it stopped at, if any); answers the pause before the next. */
  after(fault: StorageFault | undefined): number {
    if (!fault) {
      this.faults = 0;
      return this.intervalMs;
    }
    this.faults += 1;
    if (fault.code === 'store_busy') pauseLockWaits();
    const base = Math.max(this.intervalMs, 100);
    return Math.min(this.maxMs, base * 2 ** Math.min(this.faults, 16));
  }
}
