import type Stripe from 'stripe';
import { DependencyError, conflict, type Principal } from '@shop/shared';
import type { PaymentRecord, PaymentStore } from '../data/paymentStore.ts';
import { visiblePayment } from './access.ts';
import { stepsOwed, type FollowUpRunner } from './followUps.ts';
import type { KeyedLock } from './keyedLock.ts';
import type { PaymentEvents } from './paymentEvents.ts';
import { providerFailure, stripeCode } from './stripeErrors.ts';

/**
 * Refunds a payment's charge in full at Stripe. The idempotency key is tied to the payment, so every
 * path that refunds it (the API, an order cancelled during the charge) together refunds it once.
 */
export function createChargeRefunder(stripe: Stripe, events: PaymentEvents) {
  return async function refundCharge(payment: PaymentRecord): Promise<void> {
    try {
      const refund = await stripe.refunds.create(
        {
          payment_intent: payment.payment_intent_id!,
          metadata: { payment_id: payment.id, order_id: payment.order_id },
        },
        { idempotencyKey: `refund-${payment.id}` },
      );
      if (refund.status === 'failed' || refund.status === 'canceled') {
        events.count('error');
        throw new DependencyError(
          'refund_failed',
          `Stripe could not refund the payment (${refund.status}).`,
          'failed',
        );
      }
    } catch (error) {
      if (error instanceof DependencyError) throw error;
      // Refunded already (e.g. from Stripe's dashboard): recorded like our own refund.
      if (stripeCode(error) !== 'charge_already_refunded') {
        events.count('error');
        throw providerFailure(events, error, 'refund the payment');
      }
    }
  };
}

export interface RefundDeps {
  store: PaymentStore;
  locks: KeyedLock;
  events: PaymentEvents;
  followUps: FollowUpRunner;
  refundCharge: (payment: PaymentRecord) => Promise<void>;
}

/**
 * Refunds a succeeded payment of the caller's in full, once: a repeat after success answers the
 * refunded payment. The order becomes Refunded through the durable `mark_refunded` step, recorded
 * with the payment's new state.
 */
export function createRefundPayment({ store, locks, events, followUps, refundCharge }: RefundDeps) {
  return async function refundPayment(caller: Principal, paymentId: string): Promise<PaymentRecord> {
    const { order_id } = visiblePayment(store, caller, paymentId);
    return locks.run(order_id, async () => {
      const payment = store.getPayment(paymentId)!;
      if (payment.status !== 'refunded') {
        if (payment.status !== 'succeeded') {
          throw conflict(
            `Only a succeeded payment can be refunded; this one is ${payment.status}.`,
            'payment_not_refundable',
            { payment_status: payment.status },
          );
        }
        await refundCharge(payment);
        if (store.markRefunded(payment.id, stepsOwed('refunded')).changed) {
          events.count('refunded');
          events.log.info({ payment_id: payment.id, order_id }, 'payment refunded');
        }
      }
      await followUps.runFor(payment.id);
      return store.getPayment(payment.id)!;
    });
  };
}
