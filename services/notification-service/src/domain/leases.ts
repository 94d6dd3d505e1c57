/** How long a try may hold a row in `sending`: a lookup and a send, each with its timeout, plus slack. */
export function leaseMs(timeoutMs: number): number {
  return 2 * timeoutMs + 5_000;
}

/** `date` plus `ms`, as the ISO text the store keeps. */
export const addMs = (date: Date, ms: number) => new Date(date.getTime() + ms).toISOString();
