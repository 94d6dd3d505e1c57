import { z } from 'zod';
import { CURRENCY_CODES } from '../money.ts';
import { Id, Timestamp } from './common.ts';

export const ORDER_STATUSES = ['Pending', 'Paid', 'Cancelled', 'Refunded'] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const MAX_QUANTITY = 1000;

export const CurrencyCode = z
  .string()
  .transform((c) => c.toUpperCase())
  .pipe(z.enum(CURRENCY_CODES, { message: `must be one of ${CURRENCY_CODES.join(', ')}` }));

/** Seed 002's body. `price` is in major units; `user_id`, when sent, must be the caller's own. */
export const CreateOrderBody = z.strictObject({
  product_name: z.string().trim().min(1, 'Required').max(200, 'must be at most 200 characters'),
  quantity: z
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`),
  price: z.union([z.number(), z.string().max(32)], { message: 'must be a number such as 19.99' }),
  currency: CurrencyCode.optional(),
  user_id: Id.optional(),
});

export const Order = z.object({
  id: Id,
  user_id: Id,
  product_name: z.string(),
  quantity: z.number().int(),
  unit_amount: z.number().int(),
  amount: z.number().int(),
  currency: z.string(),
  status: OrderStatus,
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Order = z.infer<typeof Order>;

export const UpdateOrderStatusBody = z.strictObject({ status: OrderStatus });

export const ListOrdersQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
  status: OrderStatus.optional(),
});

export const OrderList = z.object({ data: z.array(Order), next_cursor: z.string().nullable() });

export const OrderHistoryEntry = z.object({
  from: OrderStatus.nullable(),
  to: OrderStatus,
  actor: z.string(),
  at: Timestamp,
});
export const OrderHistory = z.object({ order_id: Id, history: z.array(OrderHistoryEntry) });
