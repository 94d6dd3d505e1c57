import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';

/**
 * Injected failures for tests of the payment-service's resilience. 'before': the request fails
 * before Stripe's API runs it (nothing saved; a retry runs). 'during': the endpoint began and failed
 * with a 500 without doing the work, and Stripe saved that 500 under the idempotency key: every
 * retry with the key gets the same 500 for 24 hours. 'after' models the worst case of a real
 * network: Stripe did the work (and saved the idempotent result), the answer got lost.
 */
export const faultSchema = z.object({
  mode: z.enum(['error', 'timeout', 'slow']),
  count: z.number().int().positive().default(1),
  delay_ms: z.number().int().nonnegative().max(600_000).default(1000),
  match: z.string().optional(),
  when: z.enum(['before', 'during', 'after']).default('before'),
});

export type FaultInput = z.input<typeof faultSchema>;
export type Fault = z.output<typeof faultSchema> & { id: number; remaining: number };

export class FaultList {
  private faults: Fault[] = [];
  private nextId = 1;

  add(input: z.output<typeof faultSchema>): Fault {
    const fault = { ...input, id: this.nextId++, remaining: input.count };
    this.faults.push(fault);
    return fault;
  }

  /** Takes one use of the first fault matching "METHOD /path"; used-up faults disappear. */
  take(method: string, path: string): Fault | undefined {
    const target = `${method} ${path}`;
    const fault = this.faults.find((f) => f.match === undefined || target.includes(f.match));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  list(): Fault[] {
    return [...this.faults];
  }

  clear(): void {
    this.faults = [];
  }
}

/** Waits, but gives up quietly when the sandbox shuts down so no timer outlives it. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => undefined);
}
