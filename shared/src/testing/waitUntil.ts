import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** Named in the error when time runs out. */
  what?: string;
  timeoutMs?: number;
  intervalMs?: number;
}

/** Polls `probe` until it returns something truthy and returns that; throws once `timeoutMs` has passed. */
export async function waitUntil<T>(
  probe: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  { what = 'the condition', timeoutMs = 5_000, intervalMs = 20 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
