import type Stripe from 'stripe';
import { DependencyError, badRequest, type Implementation } from '@shop/shared';
import type { paymentApi } from '@shop/shared/contracts';
import type { Dependencies } from '../dependencies.ts';
import { visiblePayment, visiblePaymentOfOrder } from '../domain/access.ts';
import type { PayOrderOutcome } from '../domain/payOrder.ts';
import { refundOpen } from '../domain/refunds.ts';
import { toPayment } from './presenters.ts';

/** How each pay-order outcome is answered. */
const PAY_ORDER_STATUS = {
  paid: 200,
  awaiting_confirmation: 201,
  awaiting_action: 202,
  pending: 202,
} as const satisfies Record<PayOrderOutcome, number>;

/** The payment-service's handlers, one per endpoint of its contract. */
export function paymentRoutes(deps: Dependencies): Implementation<typeof paymentApi> {
  const { store, config } = deps;
  return {
    payOrder: {
      before: deps.payOrderLimits,
      handle: async ({ body, caller }) => {
        const { outcome, payment } = await deps.payOrder(caller.userId, body);
        return { status: PAY_ORDER_STATUS[outcome], body: toPayment(payment) };
      },
    },
    getPayment: ({ params, caller }) => ({
      status: 200,
      body: toPayment(visiblePayment(store, caller, params.id)),
    }),
    paymentOfOrder: ({ query, caller }) => ({
      status: 200,
      body: toPayment(visiblePaymentOfOrder(store, caller, query.order_id)),
    }),
    refund: async ({ params, caller }) => {
      const payment = await deps.refundPayment(caller, params.id);
      return { status: refundOpen(payment) ? 202 : 200, body: toPayment(payment) };
    },
    // The body stays raw bytes: the signature covers them exactly. No signature or a wrong one is a
    // 400 and changes nothing; a 503 makes Stripe deliver the event again later.
    stripeWebhook: async ({ req }) => {
      const signature = req.get('stripe-signature');
      if (!signature) throw badRequest('The Stripe-Signature header is missing.', 'missing_signature');
      const payload = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let event: Stripe.Event;
      try {
        event = deps.stripe.webhooks.constructEvent(payload, signature, config.STRIPE_WEBHOOK_SECRET);
      } catch {
        throw badRequest('The Stripe-Signature does not match the body.', 'invalid_signature');
      }
      try {
        const outcome = await deps.handleStripeEvent(event);
        return { status: 200, body: { received: true, event_id: event.id, outcome } };
      } catch (error) {
        // Whatever failed (Stripe, the store), the answer is the same: a 503, so Stripe delivers again.
        deps.logger.warn(
          { event_id: event.id, type: event.type, err: (error as Error).message },
          'event not processed',
        );
        throw new DependencyError(
          'event_not_processed',
          'The event could not be processed now; Stripe will deliver it again.',
        );
      }
    },
  };
}
