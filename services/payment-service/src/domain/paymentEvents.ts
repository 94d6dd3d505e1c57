import type { Logger, ServiceMetrics } from '@shop/shared';

/** Outcomes counted in `payments_total{outcome}`. */
export type PaymentOutcome = 'succeeded' | 'declined' | 'requires_action' | 'refunded' | 'error';

/** Where the payment domain reports what happened: log lines for operators, counters for metrics. */
export interface PaymentEvents {
  log: Logger;
  count(outcome: PaymentOutcome): void;
}

export function createPaymentEvents(log: Logger, metrics: ServiceMetrics): PaymentEvents {
  const outcomes = metrics.counter('payments_total', 'Payment outcomes, by outcome.', ['outcome']);
  return { log, count: (outcome) => outcomes.inc({ outcome }) };
}

/** The delays between retries of a follow-up step or a reconciliation: base, doubled, capped. */
export interface RetrySchedule {
  baseMs: number;
  maxMs: number;
}
