import { AppError, conflict, notFound, serviceUnavailable, statusOf } from '@shop/shared';
import type { Order } from '@shop/shared/contracts';
import type { PaymentRecord } from '../data/paymentStore.ts';
import type { PaymentsContext } from './context.ts';
import { applyIntent, confirmKey, ensureIntent, refreshIntent } from './intentSync.ts';
import { badPaymentMethod, isCardError, isUnexpectedState, providerFailure } from './stripeErrors.ts';
import type Stripe from 'stripe';

export interface PayOrderInput {
  order_id: string;
  payment_method?: string;
}

/** 200: paid (now or before). 201: payment created, the client confirms it. 202: waiting (action, processing). */
export interface PayOrderResult {
  status: 200 | 201 | 202;
  payment: PaymentRecord;
}

const orderNotFound = () => notFound('No such order.', 'order_not_found');

async function fetchOrder(ctx: PaymentsContext, orderId: string): Promise<Order> {
  try {
    return await ctx.orders.getOrder(orderId);
  } catch (error) {
    if (statusOf(error) === 404) throw orderNotFound();
    ctx.logger.warn(
      { order_id: orderId, err: (error as Error).message },
      'order-service did not give the order',
    );
    throw serviceUnavailable(
      'The order-service is not available; try again shortly.',
      'order_service_unavailable',
    );
  }
}

/** A paid order answers its payment, after trying the follow-ups still due (the order update first). */
async function settled(ctx: PaymentsContext, payment: PaymentRecord): Promise<PayOrderResult> {
  await ctx.followUps.runFor(payment.id);
  return { status: 200, payment: ctx.store.getPayment(payment.id)! };
}

function outcome(ctx: PaymentsContext, payment: PaymentRecord, created: boolean): Promise<PayOrderResult> {
  if (payment.status === 'succeeded') return settled(ctx, payment);
  if (payment.status === 'canceled') {
    throw conflict('The payment of this order was canceled at Stripe.', 'payment_canceled', {
      payment_id: payment.id,
    });
  }
  return Promise.resolve({ status: created ? 201 : 202, payment });
}

/** A declined card: the intent goes back to requires_payment_method, and the user may try another. */
function declined(
  ctx: PaymentsContext,
  payment: PaymentRecord,
  error: Stripe.errors.StripeCardError,
): AppError {
  const intent = error.payment_intent;
  if (intent) applyIntent(ctx, payment.id, intent);
  else ctx.store.closeAttempt(payment.id);
  ctx.count('declined');
  ctx.logger.info(
    { payment_id: payment.id, code: error.code, decline_code: error.decline_code },
    'card declined',
  );
  return new AppError(402, error.code ?? 'card_declined', error.message, {
    decline_code: error.decline_code ?? null,
    payment_id: payment.id,
  });
}

/**
 * Confirms the order's one PaymentIntent with this method. The attempt is recorded before the call:
 * a repeat with the same method (after a timeout or a crash) reuses its idempotency key, so Stripe
 * answers what it already did instead of charging again.
 */
async function confirm(
  ctx: PaymentsContext,
  payment: PaymentRecord,
  method: string,
): Promise<PayOrderResult> {
  const intentId = payment.payment_intent_id!;
  const reuse = payment.attempt_open && payment.attempt_payment_method === method;
  const attempt = reuse ? payment.attempt : ctx.store.openAttempt(payment.id, method);
  let updated: PaymentRecord;
  try {
    const intent = await ctx.stripe.paymentIntents.confirm(
      intentId,
      { payment_method: method },
      { idempotencyKey: confirmKey(intentId, attempt) },
    );
    updated = applyIntent(ctx, payment.id, intent);
  } catch (error) {
    if (isCardError(error)) throw declined(ctx, payment, error);
    const invalid = badPaymentMethod(error);
    if (invalid) {
      ctx.store.closeAttempt(payment.id);
      throw invalid;
    }
    if (!isUnexpectedState(error)) {
      ctx.count('error');
      throw providerFailure(ctx, error, 'confirm the payment'); // the attempt stays open for the retry
    }
    // Not confirmable any more (paid or in progress meanwhile): Stripe's current state decides.
    updated = await refreshIntent(ctx, payment).catch((e: unknown) => {
      throw providerFailure(ctx, e, 'give the payment state');
    });
  }
  if (updated.status === 'requires_action') ctx.count('requires_action');
  return outcome(ctx, updated, false);
}

/**
 * Pays an order of the caller's: at most one PaymentIntent per order and at most one charge, however
 * often, concurrently or after whatever failure this is called. Calls for one order run one by one.
 */
export function payOrder(
  ctx: PaymentsContext,
  userId: string,
  input: PayOrderInput,
): Promise<PayOrderResult> {
  return ctx.locks.run(input.order_id, async () => {
    const existing = ctx.store.getPaymentByOrder(input.order_id);
    if (existing && existing.user_id !== userId) throw orderNotFound();
    if (existing?.status === 'succeeded') return settled(ctx, existing);
    if (existing?.status === 'refunded') {
      throw conflict('This order was paid and refunded.', 'order_refunded', { payment_id: existing.id });
    }
    const order = await fetchOrder(ctx, input.order_id);
    if (order.user_id !== userId) throw orderNotFound();
    if (order.status !== 'Pending') {
      throw conflict(`The order is ${order.status}; only a Pending order can be paid.`, 'order_not_pending', {
        order_status: order.status,
      });
    }
    let payment =
      existing ??
      ctx.store.createPayment({
        order_id: order.id,
        user_id: order.user_id,
        amount: order.amount,
        currency: order.currency,
      });
    const method = input.payment_method;
    try {
      if (!payment.payment_intent_id) payment = await ensureIntent(ctx, payment);
      else if (payment.attempt_open && payment.attempt_payment_method !== method) {
        payment = await refreshIntent(ctx, payment); // an earlier attempt's outcome is unknown: ask first
      }
    } catch (error) {
      ctx.count('error');
      throw providerFailure(ctx, error, 'create the payment');
    }
    if (
      !method ||
      payment.status === 'succeeded' ||
      payment.status === 'processing' ||
      payment.status === 'canceled'
    ) {
      return outcome(ctx, payment, !existing);
    }
    return confirm(ctx, payment, method);
  });
}
