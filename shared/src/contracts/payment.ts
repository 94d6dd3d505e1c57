import { z } from 'zod';
import { Id, Timestamp } from './common.ts';

/** Seed 002's body; `payment_method` (a Stripe PaymentMethod id such as pm_card_visa) confirms at once. */
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
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Payment = z.infer<typeof Payment>;

/** `GET /api/payments?order_id=<id>`: the payment of one order. */
export const PaymentForOrderQuery = z.strictObject({ order_id: Id });

/** `POST /api/payment/:id/refund` refunds the whole amount; the body, if any, must be empty. */
export const RefundBody = z.strictObject({});
