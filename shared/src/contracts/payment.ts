import { z } from 'zod';
import { Id, IdParams, Timestamp } from './common.ts';
import { defineApi, endpoint } from './endpoint.ts';

/** The original API's body; `payment_method` (a Stripe PaymentMethod id such as pm_card_visa) confirms at once. */
export const PayOrderBody = z.strictObject({
  order_id: Id,
  payment_method: z
    .string()
    .regex(/^pm_[A-Za-z0-9_]{1,100}$/, 'must be a Stripe PaymentMethod id such as pm_card_visa')
    .optional(),
});

export const PAYMENT_STATUSES = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'succeeded',
  'canceled',
  'refunded',
] as const;
export const PaymentStatus = z.enum(PAYMENT_STATUSES);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/** Stripe's refund statuses: a card refund may stay `pending` and still end `failed` or `canceled`. */
export const REFUND_STATUSES = ['pending', 'requires_action', 'succeeded', 'failed', 'canceled'] as const;
export const RefundStatus = z.enum(REFUND_STATUSES);
export type RefundStatus = z.infer<typeof RefundStatus>;

export const Payment = z.object({
  id: Id,
  order_id: Id,
  user_id: Id,
  amount: z.number().int(),
  currency: z.string(),
  status: PaymentStatus,
  /** Null only while the PaymentIntent's creation is unconfirmed (Stripe did not answer yet). */
  payment_intent_id: z.string().nullable(),
  /** For the client-confirmed flow only; null once the payment is final. */
  client_secret: z.string().nullable(),
  last_error: z
    .object({ code: z.string().nullable(), decline_code: z.string().nullable(), message: z.string() })
    .nullable(),
  /** The latest refund: the payment is `refunded` only once it `succeeded`. */
  refund: z
    .object({ id: z.string(), status: RefundStatus, failure_reason: z.string().nullable() })
    .nullable(),
  created_at: Timestamp,
  /** When something above last changed; a check with Stripe that finds nothing new leaves it. */
  updated_at: Timestamp,
});
export type Payment = z.infer<typeof Payment>;

/** `GET /api/payments?order_id=<id>`: the payment of one order. */
export const PaymentForOrderQuery = z.strictObject({ order_id: Id });

/** `POST /api/payment/:id/refund` refunds the whole amount; the body, if any, must be empty. */
export const RefundBody = z.strictObject({});

/**
 * The `code` of a 402: Stripe's own error code when it helps an honest customer fix the payment
 * (see the payment-service's declineCodes.ts), otherwise `card_declined`.
 */
export const CARD_DECLINE_CODES = [
  'card_declined',
  'expired_card',
  'incorrect_cvc',
  'incorrect_number',
  'incorrect_zip',
  'invalid_cvc',
  'invalid_expiry_month',
  'invalid_expiry_year',
  'invalid_number',
  'processing_error',
] as const;

/** Why a pay-order was refused with 429: a rate limit, or a cap on failed card attempts. */
export const PAY_ORDER_LIMIT_CODES = [
  'rate_limited',
  'too_many_declines_for_order',
  'too_many_declines_for_user',
] as const;

/**
 * The answer to a Stripe event: handled now, seen before, not about a payment of this shop, or
 * refused (Stripe's own record of the intent or charge does not match the payment; nothing changed).
 */
export const WebhookReceipt = z.object({
  received: z.literal(true),
  event_id: z.string(),
  outcome: z.enum(['processed', 'duplicate', 'ignored', 'refused']),
});

const examplePayment = {
  id: '3c5e7a91-2b4d-4f6a-8e0c-1d2f3a4b5c6d',
  order_id: '01a1fd62-42b7-7f9e-995b-362efb061d92',
  user_id: '6f1c2b7e-8f57-4a53-9d55-2f7e8d1c9a10',
  amount: 3998,
  currency: 'USD',
  status: 'succeeded',
  payment_intent_id: 'pi_3QxExample',
  client_secret: null,
  last_error: null,
  refund: null,
  created_at: '2026-11-21T09:14:02.112Z',
  updated_at: '2026-11-21T09:14:02.518Z',
};
const paymentNotFound = { description: "No such payment, or another user's.", codes: ['payment_not_found'] };

/** The payment-service's endpoints. */
export const paymentApi = defineApi({
  service: 'payment-service',
  description:
    'Charges orders through Stripe PaymentIntents, at most once per order, with durable follow-ups.',
  endpoints: {
    payOrder: endpoint({
      operationId: 'payOrder',
      tag: 'payments',
      method: 'post',
      path: '/api/pay-order',
      idempotencyKey: true,
      summary: "Pay one of the caller's orders",
      description:
        'One PaymentIntent per order, ever, and at most one charge however often or concurrently this is called. With `payment_method` (e.g. `pm_card_visa`) the payment is confirmed at once; without it, the client secret is answered for the client to confirm.',
      access: { user: true },
      body: PayOrderBody,
      responses: {
        200: {
          description: 'Paid (now, or already before): the order is Paid.',
          schema: Payment,
          example: examplePayment,
        },
        201: {
          description: 'No `payment_method`: the payment was created; confirm it with the client secret.',
          schema: Payment,
        },
        202: {
          description:
            'Waiting: authentication required (`requires_action`), processing, or an existing unconfirmed payment.',
          schema: Payment,
        },
        402: {
          description:
            'The card was declined (`decline_code` and `payment_id` say more); the order stays Pending and another card may be tried. `decline_code` is given only when it helps the customer (e.g. `insufficient_funds`, `expired_card`, `incorrect_cvc`); fraud signals (`lost_card`, `stolen_card`, `fraudulent`, ...) answer `card_declined` with `decline_code: null`.',
          codes: CARD_DECLINE_CODES,
        },
        404: { description: 'No such order, or one of another user.', codes: ['order_not_found'] },
        409: {
          description: 'The order cannot be paid (any more).',
          codes: ['order_not_pending', 'order_refunded', 'payment_canceled'],
        },
        422: {
          description:
            "Stripe refused to create the payment (`provider_code` gives Stripe's reason, e.g. `amount_too_small`: under the minimum of the account's settlement currency); repeating it will not help.",
          codes: ['payment_refused'],
        },
        502: {
          description: 'Stripe did not answer; repeating is safe.',
          codes: ['payment_provider_unavailable'],
        },
        429: {
          description:
            'Too many pay-order calls (per user or per address: `rate_limited`), or too many declined cards in the last hour on this order or by this user; see Retry-After.',
          codes: PAY_ORDER_LIMIT_CODES,
        },
        503: { description: 'The order-service is unreachable.', codes: ['order_service_unavailable'] },
      },
    }),
    getPayment: endpoint({
      operationId: 'getPayment',
      tag: 'payments',
      method: 'get',
      path: '/api/payment/:id',
      summary: 'One payment (its owner)',
      access: { user: true },
      params: IdParams,
      responses: {
        200: { description: 'The payment.', schema: Payment, example: examplePayment },
        404: paymentNotFound,
      },
    }),
    paymentOfOrder: endpoint({
      operationId: 'paymentOfOrder',
      tag: 'payments',
      method: 'get',
      path: '/api/payments',
      summary: 'The payment of an order (its owner)',
      access: { user: true },
      query: PaymentForOrderQuery,
      responses: {
        200: { description: 'The payment.', schema: Payment, example: examplePayment },
        404: {
          description: "The order has no payment (or is not the caller's).",
          codes: ['payment_not_found'],
        },
      },
    }),
    refund: endpoint({
      operationId: 'refundPayment',
      tag: 'payments',
      method: 'post',
      path: '/api/payment/:id/refund',
      idempotencyKey: true,
      summary: 'Refund a succeeded payment in full (its owner)',
      description:
        'Refunds once (a repeat answers the refunded payment); the order becomes Refunded when Stripe says the refund succeeded. A refund Stripe keeps pending answers 202; it may still fail, and then the payment stays succeeded and can be refunded again.',
      access: { user: true },
      idempotent: true,
      params: IdParams,
      body: RefundBody,
      responses: {
        200: { description: 'The refunded payment.', schema: Payment },
        202: {
          description: 'Stripe accepted the refund but it is still pending (`refund.status`).',
          schema: Payment,
        },
        404: paymentNotFound,
        409: { description: 'The payment has not succeeded.', codes: ['payment_not_refundable'] },
        502: {
          description: 'Stripe did not refund.',
          codes: ['payment_provider_unavailable', 'refund_failed'],
        },
      },
    }),
    stripeWebhook: endpoint({
      operationId: 'stripeWebhook',
      tag: 'webhooks',
      method: 'post',
      path: '/api/webhooks/stripe',
      summary: "Stripe's signed events",
      description:
        'The raw body is verified against the `Stripe-Signature` header with STRIPE_WEBHOOK_SECRET. Each event is handled once (by id), in any order.',
      access: 'public',
      rawBody: true,
      headers: [
        { name: 'Stripe-Signature', description: "Stripe's signature of the raw body.", required: true },
      ],
      responses: {
        200: {
          description:
            "Received: processed, a duplicate, ignored (not about a payment of this shop) or refused (Stripe's own record does not match; nothing changed).",
          schema: WebhookReceipt,
        },
        400: { description: 'Nothing changed.', codes: ['missing_signature', 'invalid_signature'] },
        503: {
          description: 'Not processed now; Stripe delivers it again later.',
          codes: ['event_not_processed'],
        },
      },
    }),
  },
});
