import type Stripe from 'stripe';
import type { Logger, ServiceMetrics } from '@shop/shared';
import type { NotificationClient, OrderClient } from '@shop/shared/clients';
import type { PaymentStore } from '../data/paymentStore.ts';
import type { KeyedLock } from './keyedLock.ts';
import type { FollowUpRunner } from './followUps.ts';

/** Outcomes counted in `payments_total{outcome}`. */
export type PaymentOutcome = 'succeeded' | 'declined' | 'requires_action' | 'refunded' | 'error';

/** What the use cases share: dependencies, the per-order lock and the outcome counter. */
export interface PaymentsContext {
  logger: Logger;
  store: PaymentStore;
  stripe: Stripe;
  orders: OrderClient;
  notifications: NotificationClient;
  metrics: ServiceMetrics;
  /** First delay before retrying a follow-up step or a reconciliation; doubles per failure. */
  retryBaseMs: number;
  locks: KeyedLock;
  outcomes: ReturnType<ServiceMetrics['counter']>;
  count(outcome: PaymentOutcome): void;
  followUps: FollowUpRunner;
}

/** The longest wait between two retries of a follow-up step or a reconciliation. */
export const MAX_RETRY_DELAY_MS = 5 * 60_000;

export function retryDelay(baseMs: number, failures: number): number {
  return Math.min(baseMs * 2 ** Math.min(failures, 20), MAX_RETRY_DELAY_MS);
}
