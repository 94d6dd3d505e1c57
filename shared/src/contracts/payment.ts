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

export const Payment = z.object({
  id: Id,
  order_id: Id,
  user_id: Id,
  amount: z.number().int(),
  currency: z.string(),
  status: PaymentStatus,
  payment_intent_id: z.string(),
  /** For the client-confirmed flow only; null once the payment is final. */
  client_secret: z.string().nullable(),
  last_error: z
    .object({ code: z.string().nullable(), decline_code: z.string().nullable(), message: z.string() })
    .nullable(),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Payment = z.infer<typeof Payment>;
