import { describe, expect, it } from 'vitest';
import { waitUntil } from '../src/testing/index.ts';

describe('waitUntil (the one polling loop of every test suite)', () => {
  it('when the probe turns truthy on its third call, that value comes back', async () => {
    let calls = 0;
    const value = await waitUntil(() => (++calls === 3 ? { ready: true } : undefined), { intervalMs: 1 });
    expect(value).toEqual({ ready: true });
    expect(calls).toBe(3);
  });

  it('when the probe never turns truthy, it fails after the timeout naming what it waited for', async () => {
    await expect(
      waitUntil(async () => false, { what: 'the receipt', timeoutMs: 30, intervalMs: 5 }),
    ).rejects.toThrow('Timed out after 30 ms waiting for the receipt');
  });
});
