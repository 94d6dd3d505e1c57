/**
 * How long to wait before the next try after `failures` failed tries (1 or more): `baseMs`, doubled
 * per further failure, never above `maxMs`. Every retry loop of the shop uses this one schedule.
 */
export function backoffDelay(failures: number, { baseMs, maxMs }: { baseMs: number; maxMs: number }): number {
  // 2 ** 30 already exceeds any sensible cap; stopping there keeps the number finite.
  const doublings = Math.min(Math.max(0, failures - 1), 30);
  return Math.min(maxMs, baseMs * 2 ** doublings);
}
