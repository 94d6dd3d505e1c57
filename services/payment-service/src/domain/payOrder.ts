import type Stripe from 'stripe';
import type { z } from 'zod';
import { AppError, DependencyError, conflict, notFound } from '@shop/shared';
import { CallError, type ApiClient } from '@shop/shared/clients';
import type { Order, orderApi, PayOrderBody } from '@shop/shared/contracts';
import type { PaymentRecord, PaymentStore } from '../data/paymentStore.ts';
import type { CardAttempts } from './cardAttempts.ts';
import { customerView } from './declineCodes.ts';
import type { FollowUpRunner } from './followUps.ts';
import type { KeyedLock } from './keyedLock.ts';
import type { PaymentEvents } from './paymentEvents.ts';
import {
  badPaymentMethod,
  declineCodeOf,
  isCardError,
  isUnexpectedState,
  providerFailure,
} from './stripeErrors.ts';
import { confirmKey, type Intents } from './stripeIntents.ts';

/**
 * Where a pay-order call left the payment:
 * - `paid`: the charge succeeded (now or before) and the order is being marked Paid;
 * - `awaiting_confirmation`: the payment was created by this call; the client confirms it with its secret;
 * - `awaiting_action`: the customer must authenticate (3D Secure) on the client;
 * - `pending`: Stripe is processing, or an earlier payment still waits for its confirmation.
 */
export type PayOrderOutcome = 'paid' | 'awaiting_confirmation' | 'awaiting_action' | 'pending';

export interface PayOrderResult {
  outcome: PayOrderOutcome;
  payment: PaymentRecord;
}

export type PayOrderInput = z.output<typeof PayOrderBody>;

export interface PayOrderDeps {
  store: PaymentStore;
  stripe: Stripe;
  orders: ApiClient<typeof orderApi>;
  intents: Intents;
  followUps: FollowUpRunner;
  events: PaymentEvents;
  locks: KeyedLock;
  attempts: CardAttempts;
}

const orderNotFound = () => notFound('No such order.', 'order_not_found');

/**
 * Paying an order, the whole story: at most one PaymentIntent per order and at most one charge,
 * however often, concurrently or after whatever failure this is called. Calls for one order run one
 * by one (a per-order lock), the payment row is unique per order, every Stripe write carries an
 * idempotency key recorded before the call, and what a charge owes afterwards (mark the order Paid,
 * send the receipt) is recorded with Stripe's answer and run by the follow-ups.
 */
export function createPayOrder(deps: PayOrderDeps) {
  const { store, intents, followUps, events } = deps;

  async function fetchOrder(orderId: string): Promise<Order> {
    try {
      return await deps.orders.call('getOrder', { params: { id: orderId } });
    } catch (error) {
      if (error instanceof CallError && error.status === 404) throw orderNotFound();
      events.log.warn(
        { order_id: orderId, err: (error as Error).message },
        'order-service did not give the order',
      );
      throw new DependencyError(
        'order_service_unavailable',
        'The order-service is not available; try again shortly.',
      );
    }
  }

  /** A paid order answers its payment, after trying the follow-ups still due (the order update first). */
  async function paid(payment: PaymentRecord): Promise<PayOrderResult> {
    await followUps.runFor(payment.id);
    return { outcome: 'paid', payment: store.getPayment(payment.id)! };
  }

  function settle(payment: PaymentRecord, createdNow: boolean): Promise<PayOrderResult> {
    if (payment.status === 'succeeded') return paid(payment);
    if (payment.status === 'canceled') {
      throw conflict('The payment of this order was canceled at Stripe.', 'payment_canceled', {
        payment_id: payment.id,
      });
    }
    const outcome: PayOrderOutcome = createdNow
      ? 'awaiting_confirmation'
      : payment.status === 'requires_action'
        ? 'awaiting_action'
        : 'pending';
    return Promise.resolve({ outcome, payment });
  }

  /** A declined card: the intent goes back to requires_payment_method, and the user may try another. */
  function declined(payment: PaymentRecord, error: Stripe.errors.StripeCardError): AppError {
    if (error.payment_intent) intents.record(payment.id, error.payment_intent);
    else store.closeAttempt(payment.id);
    const code = error.code ?? 'card_declined';
    const declineCode = declineCodeOf(error);
    deps.attempts.recordDecline(payment, code, declineCode);
    events.count('declined');
    events.countDecline(code, declineCode);
    events.log.info({ payment_id: payment.id, code, decline_code: declineCode }, 'card declined');
    const shown = customerView({ code, decline_code: declineCode, message: error.message });
    return new AppError(402, shown.code, shown.message, {
      decline_code: shown.decline_code,
      payment_id: payment.id,
    });
  }

  /**
   * Confirms the order's one PaymentIntent with this method. The attempt is recorded before the call:
   * a repeat with the same method (after a timeout or a crash) reuses its idempotency key, so Stripe
   * answers what it already did instead of charging again.
   */
  async function confirm(payment: PaymentRecord, method: string): Promise<PayOrderResult> {
    const intentId = payment.payment_intent_id!;
    const reuse = payment.attempt_open && payment.attempt_payment_method === method;
    const attempt = reuse ? payment.attempt : store.openAttempt(payment.id, method);
    let updated: PaymentRecord;
    try {
      const intent = await deps.stripe.paymentIntents.confirm(
        intentId,
        { payment_method: method },
        { idempotencyKey: confirmKey(intentId, attempt) },
      );
      updated = intents.record(payment.id, intent);
    } catch (error) {
      if (isCardError(error)) throw declined(payment, error);
      const invalid = badPaymentMethod(error);
      if (invalid) {
        store.closeAttempt(payment.id);
        throw invalid;
      }
      if (!isUnexpectedState(error)) {
        events.count('error');
        throw providerFailure(events, error, 'confirm the payment'); // the attempt stays open for the retry
      }
      // Not confirmable any more (paid or in progress meanwhile): Stripe's current state decides.
      updated = await intents.refresh(payment).catch((e: unknown) => {
        throw providerFailure(events, e, 'give the payment state');
      });
    }
    if (updated.status === 'requires_action') events.count('requires_action');
    return settle(updated, false);
  }

  return function payOrder(userId: string, input: PayOrderInput): Promise<PayOrderResult> {
    return deps.locks.run(input.order_id, async () => {
      const existing = store.getPaymentByOrder(input.order_id);
      if (existing && existing.user_id !== userId) throw orderNotFound();
      if (existing?.status === 'succeeded') return paid(existing);
      if (existing?.status === 'refunded') {
        throw conflict('This order was paid and refunded.', 'order_refunded', { payment_id: existing.id });
      }
      const order = await fetchOrder(input.order_id);
      if (order.user_id !== userId) throw orderNotFound();
      if (order.status !== 'Pending') {
        throw conflict(
          `The order is ${order.status}; only a Pending order can be paid.`,
          'order_not_pending',
          {
            order_status: order.status,
          },
        );
      }
      if (input.payment_method) deps.attempts.ensureAllowed(order.id, userId);
      let payment =
        existing ??
        store.createPayment({
          order_id: order.id,
          user_id: order.user_id,
          amount: order.amount,
          currency: order.currency,
        });
      const method = input.payment_method;
      try {
        if (!payment.payment_intent_id) payment = await intents.ensure(payment);
        else if (payment.attempt_open ? payment.attempt_payment_method !== method : !method) {
          // An earlier attempt's outcome is unknown, or the client only asks where it stands: ask Stripe.
          payment = await intents.refresh(payment);
        }
      } catch (error) {
        if (error instanceof AppError) throw error; // refused by Stripe: a 4xx with its reason
        events.count('error');
        throw providerFailure(events, error, 'create the payment');
      }
      const nothingToConfirm = ['succeeded', 'processing', 'canceled'].includes(payment.status);
      if (!method || nothingToConfirm) return settle(payment, !existing);
      return confirm(payment, method);
    });
  };
}
