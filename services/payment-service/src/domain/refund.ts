import { AppError, conflict, type Principal } from '@shop/shared';
import type { PaymentRecord } from '../data/paymentStore.ts';
import type { PaymentsContext } from './context.ts';
import { visiblePayment } from './paymentView.ts';
import { providerFailure, stripeCode } from './stripeErrors.ts';

/**
 * Refunds the payment's charge in full at Stripe. The idempotency key is tied to the payment, so every
 * path that refunds it (the API, an order cancelled during the charge) together refunds it once.
 */
export async function refundAtStripe(ctx: PaymentsContext, payment: PaymentRecord): Promise<void> {
  try {
    const refund = await ctx.stripe.refunds.create(
      {
        payment_intent: payment.payment_intent_id!,
        metadata: { payment_id: payment.id, order_id: payment.order_id },
      },
      { idempotencyKey: `refund-${payment.id}` },
    );
    if (refund.status === 'failed' || refund.status === 'canceled') {
      ctx.count('error');
      throw new AppError(502, 'refund_failed', `Stripe could not refund the payment (${refund.status}).`);
    }
  } catch (error) {
    // Refunded already (e.g. from Stripe's dashboard): record it like our own refund.
    if (error instanceof AppError) throw error;
    if (stripeCode(error) !== 'charge_already_refunded') {
      ctx.count('error');
      throw providerFailure(ctx, error, 'refund the payment');
    }
  }
}

/**
 * Refunds a succeeded payment in full, once: the refund's idempotency key is tied to the payment, and
 * a repeat after success answers the refunded payment. The order becomes Refunded through the
 * durable `mark_refunded` step, recorded with the payment's new state.
 */
export async function refundPayment(
  ctx: PaymentsContext,
  caller: Principal,
  paymentId: string,
): Promise<PaymentRecord> {
  const { order_id } = visiblePayment(ctx.store, caller, paymentId);
  return ctx.locks.run(order_id, async () => {
    const payment = ctx.store.getPayment(paymentId)!;
    if (payment.status !== 'refunded') {
      if (payment.status !== 'succeeded') {
        throw conflict(
          `Only a succeeded payment can be refunded; this one is ${payment.status}.`,
          'payment_not_refundable',
          {
            payment_status: payment.status,
          },
        );
      }
      await refundAtStripe(ctx, payment);
      if (ctx.store.markRefunded(payment.id).changed) {
        ctx.count('refunded');
        ctx.logger.info({ payment_id: payment.id, order_id }, 'payment refunded');
      }
    }
    await ctx.followUps.runFor(payment.id);
    return ctx.store.getPayment(payment.id)!;
  });
}
