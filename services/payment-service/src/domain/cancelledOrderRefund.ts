import type { PaymentRecord } from '../data/paymentStore.ts';
import type { PaymentsContext } from './context.ts';
import { refundAtStripe } from './refund.ts';

export const CANCELLED_ORDER_REFUND_REASON =
  'the order was cancelled before it could be marked Paid; the charge was refunded';

/**
 * mark_paid was refused (409). If the owner cancelled the order while it was being charged, the
 * customer must not pay for it: the charge is refunded (key tied to the payment, so at most once),
 * the payment ends `refunded` and the receipt is not sent. Returns false when the order is not
 * Cancelled (a person must look); throws when the order-service or Stripe fail, so the step is retried.
 */
export async function refundIfOrderCancelled(ctx: PaymentsContext, payment: PaymentRecord): Promise<boolean> {
  const order = await ctx.orders.getOrder(payment.order_id);
  if (order.status !== 'Cancelled') return false;
  if (payment.status === 'succeeded') await refundAtStripe(ctx, payment);
  const { changed } = ctx.store.markRefundedForCancelledOrder(payment.id, CANCELLED_ORDER_REFUND_REASON);
  if (changed) ctx.count('refunded');
  ctx.logger.warn(
    {
      payment_id: payment.id,
      order_id: payment.order_id,
      payment_intent_id: payment.payment_intent_id,
      amount: payment.amount,
      currency: payment.currency,
    },
    'order cancelled during its charge: charge refunded automatically',
  );
  return true;
}
