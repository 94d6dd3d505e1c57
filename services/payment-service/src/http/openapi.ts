import { buildOpenApi, type Operation } from '@shop/shared';
import { IdParams, PayOrderBody, Payment, PaymentForOrderQuery, RefundBody } from '@shop/shared/contracts';
import { WEBHOOK_PATH } from './webhookRouter.ts';

const declined =
  "`card_declined` (or Stripe's code such as `expired_card`) with `decline_code` and `payment_id`; the order stays Pending and another card may be tried.";

/** Every endpoint of the payment-service, documented from the schemas the routes validate with. */
export const operations: Operation[] = [
  {
    method: 'post',
    path: '/api/pay-order',
    summary: "Pay one of the caller's orders (seed 002's body)",
    description:
      'One PaymentIntent per order, ever, and at most one charge however often or concurrently this is called. With `payment_method` (e.g. `pm_card_visa`) the payment is confirmed at once; without it, the client secret is answered for the client to confirm.',
    access: 'user',
    body: PayOrderBody,
    headers: [
      {
        name: 'Idempotency-Key',
        description:
          'Optional; a repeat with the same key and body replays the first answer (header `Idempotent-Replayed`).',
      },
    ],
    responses: {
      200: { description: 'Paid (now, or already before): the order is Paid.', schema: Payment },
      201: {
        description: 'No `payment_method`: the payment was created; confirm it with the client secret.',
        schema: Payment,
      },
      202: {
        description:
          'Waiting: authentication required (`requires_action`), processing, or an existing unconfirmed payment.',
        schema: Payment,
      },
      402: { description: declined },
      404: { description: '`order_not_found` (also for an order of another user).' },
      409: { description: '`order_not_pending`, `order_refunded` or `payment_canceled`.' },
      422: { description: '`idempotency_key_reused`: the key was used with another body.' },
      502: { description: '`payment_provider_unavailable`: Stripe did not answer; repeating is safe.' },
      503: { description: '`order_service_unavailable`.' },
    },
  },
  {
    method: 'get',
    path: '/api/payment/:id',
    summary: 'One payment (its owner or a service)',
    access: 'user or service',
    params: IdParams,
    responses: {
      200: { description: 'The payment.', schema: Payment },
      404: { description: '`payment_not_found` (also for one of another user).' },
    },
  },
  {
    method: 'get',
    path: '/api/payments',
    summary: 'The payment of an order (its owner or a service)',
    access: 'user or service',
    query: PaymentForOrderQuery,
    responses: {
      200: { description: 'The payment.', schema: Payment },
      404: { description: "`payment_not_found`: the order has no payment (or is not the caller's)." },
    },
  },
  {
    method: 'post',
    path: '/api/payment/:id/refund',
    summary: 'Refund a succeeded payment in full (its owner or a service)',
    description: 'Refunds once (a repeat answers the refunded payment); the order then becomes Refunded.',
    access: 'user or service',
    params: IdParams,
    body: RefundBody,
    responses: {
      200: { description: 'The refunded payment.', schema: Payment },
      404: { description: '`payment_not_found`.' },
      409: { description: '`payment_not_refundable`: the payment has not succeeded.' },
      502: { description: '`payment_provider_unavailable` or `refund_failed`.' },
    },
  },
  {
    method: 'post',
    path: WEBHOOK_PATH,
    summary: "Stripe's signed events",
    description:
      'The raw body is verified against the `Stripe-Signature` header with STRIPE_WEBHOOK_SECRET. Each event is handled once (by id), in any order.',
    access: 'public',
    headers: [
      { name: 'Stripe-Signature', description: "Stripe's signature of the raw body.", required: true },
    ],
    responses: {
      200: { description: '`{received: true, event_id, outcome: processed | duplicate | ignored}`.' },
      400: { description: '`missing_signature` or `invalid_signature`: nothing changed.' },
      503: { description: '`event_not_processed`: Stripe delivers it again later.' },
    },
  },
];

export const openApiDocument = buildOpenApi(
  {
    title: 'payment-service',
    description:
      'Charges orders through Stripe PaymentIntents, at most once per order, with durable follow-ups.',
    version: '1.0.0',
    serverUrl: '/',
  },
  operations,
);
