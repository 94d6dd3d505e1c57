/** Delay before try number `attempts + 1`: base, doubled after each failed try, never above max. */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number): number {
  const exponent = Math.max(0, attempts - 1);
  // 2 ** 30 already exceeds any sensible cap; stop there so the number stays finite.
  return Math.min(maxMs, baseMs * 2 ** Math.min(exponent, 30));
}

/** How long a try may hold a row in `sending`: a lookup and a send, each with its timeout, plus slack. */
export function leaseMs(timeoutMs: number): number {
  return 2 * timeoutMs + 5_000;
}

export const addMs = (date: Date, ms: number) => new Date(date.getTime() + ms).toISOString();
