import type Stripe from 'stripe';
import { ServiceMetrics, type Logger, type Principal } from '@shop/shared';
import type { NotificationClient, OrderClient } from '@shop/shared/clients';
import type { PaymentStore } from '../data/paymentStore.ts';
import type { PaymentOutcome, PaymentsContext } from './context.ts';
import { createFollowUpRunner } from './followUps.ts';
import { IDEMPOTENCY_TTL_MS, payOrderWithKey } from './idempotentPayOrder.ts';
import { reconcile } from './intentSync.ts';
import { KeyedLock } from './keyedLock.ts';
import type { PayOrderInput } from './payOrder.ts';
import { toPayment, visiblePayment, visiblePaymentOfOrder } from './paymentView.ts';
import { refundPayment } from './refund.ts';
import { handleStripeEvent } from './stripeEvents.ts';

export interface PaymentsDeps {
  logger: Logger;
  store: PaymentStore;
  stripe: Stripe;
  orders: OrderClient;
  notifications: NotificationClient;
  /** Where `payments_total` is counted; pass the same one to the app. */
  metrics?: ServiceMetrics;
  /** First retry delay of a follow-up step or a reconciliation (PAYMENT_RETRY_BASE_MS). */
  retryBaseMs?: number;
}

const SYNC_BATCH = 50;
const RESUME_BATCH = 200;

/** The payment-service's use cases, sharing one per-order lock between the HTTP side and the worker. */
export function createPayments(deps: PaymentsDeps) {
  const metrics = deps.metrics ?? new ServiceMetrics('payment-service');
  const outcomes = metrics.counter('payments_total', 'Payment outcomes, by outcome.', ['outcome']);
  const ctx = {
    ...deps,
    metrics,
    retryBaseMs: deps.retryBaseMs ?? 1000,
    locks: new KeyedLock(),
    outcomes,
    count: (outcome: PaymentOutcome) => outcomes.inc({ outcome }),
  } as PaymentsContext;
  ctx.followUps = createFollowUpRunner(ctx);

  return {
    logger: deps.logger,
    store: deps.store,
    stripe: deps.stripe,
    metrics,
    followUps: ctx.followUps,
    payOrder: (userId: string, input: PayOrderInput, idempotencyKey?: string) =>
      payOrderWithKey(ctx, userId, input, idempotencyKey),
    getPayment: (caller: Principal, paymentId: string) =>
      toPayment(visiblePayment(deps.store, caller, paymentId)),
    getPaymentOfOrder: (caller: Principal, orderId: string) =>
      toPayment(visiblePaymentOfOrder(deps.store, caller, orderId)),
    refund: async (caller: Principal, paymentId: string) =>
      toPayment(await refundPayment(ctx, caller, paymentId)),
    handleStripeEvent: (event: Stripe.Event) => handleStripeEvent(ctx, event),
    /** Reconciles payments whose Stripe state is unknown (timeouts, crashes) and are due. */
    async reconcileDue() {
      for (const payment of deps.store.paymentsToSync(Date.now(), SYNC_BATCH))
        await reconcile(ctx, payment.id);
    },
    /** At start: check every unfinished payment against Stripe (a webhook may have been missed while down). */
    async reconcileUnsettled() {
      for (const payment of deps.store.unsettledPayments(RESUME_BATCH)) await reconcile(ctx, payment.id);
    },
    pruneIdempotencyKeys: () => deps.store.idempotency.prune(Date.now() - IDEMPOTENCY_TTL_MS),
  };
}

export type Payments = ReturnType<typeof createPayments>;
