import { describe, expect, it } from 'vitest';
import { STORAGE_BACKOFF_MAX_MS, StorageBackoff, StorageFault } from '../src/index.ts';

describe('a worker backing off while its store cannot be written', () => {
  it('when passes keep stopping at a full disk, the pause doubles from the interval up to the cap; the first pass that gets through brings it back to the interval', () => {
    const backoff = new StorageBackoff(200);
    const full = new StorageFault('store_full', 'SQLITE_FULL');
    expect(backoff.after(undefined)).toBe(200);
    const pauses = Array.from({ length: 12 }, () => backoff.after(full));
    expect(pauses.slice(0, 5)).toEqual([400, 800, 1600, 3200, 6400]);
    expect(Math.max(...pauses)).toBe(STORAGE_BACKOFF_MAX_MS);
    expect(backoff.after(undefined)).toBe(200);
    expect(backoff.after(full)).toBe(400);
  });
});
