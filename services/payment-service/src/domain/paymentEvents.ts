import type { Logger, ServiceMetrics } from '@shop/shared';

/** Outcomes counted in `payments_total{outcome}`. */
export type PaymentOutcome = 'succeeded' | 'declined' | 'requires_action' | 'refunded' | 'error';

/** Where the payment domain reports what happened: log lines for operators, counters for metrics. */
export interface PaymentEvents {
  log: Logger;
  count(outcome: PaymentOutcome): void;
  /** A card decline with Stripe's full codes (`card_declines_total`), whatever the client was shown. */
  countDecline(code: string, declineCode: string | null): void;
  /** A webhook event refused because Stripe's own record does not match (`webhook_events_refused_total`). */
  countRefusedEvent(reason: string): void;
  /** A pay-order refused by a failed-attempt cap (`card_attempts_capped_total{limit}`). */
  countCapped(limit: 'order' | 'user'): void;
}

export function createPaymentEvents(log: Logger, metrics: ServiceMetrics): PaymentEvents {
  const outcomes = metrics.counter('payments_total', 'Payment outcomes, by outcome.', ['outcome']);
  const declines = metrics.counter(
    'card_declines_total',
    "Card declines, by Stripe's code and decline code.",
    ['code', 'decline_code'],
  );
  const refused = metrics.counter(
    'webhook_events_refused_total',
    "Webhook events refused: Stripe's record did not match the payment, by the first field that differed.",
    ['reason'],
  );
  const capped = metrics.counter(
    'card_attempts_capped_total',
    'Pay-order calls refused (429) by a cap on failed attempts, by the cap that was reached.',
    ['limit'],
  );
  return {
    log,
    count: (outcome) => outcomes.inc({ outcome }),
    countDecline: (code, declineCode) => declines.inc({ code, decline_code: declineCode ?? 'none' }),
    countRefusedEvent: (reason) => refused.inc({ reason }),
    countCapped: (limit) => capped.inc({ limit }),
  };
}

/** The delays between retries of a follow-up step or a reconciliation: base, doubled, capped. */
export interface RetrySchedule {
  baseMs: number;
  maxMs: number;
}
