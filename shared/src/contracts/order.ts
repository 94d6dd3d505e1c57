import { z } from 'zod';
import { CURRENCY_CODES } from '../money.ts';
import { Id, IdParams, Timestamp } from './common.ts';
import { PageCursor } from './cursor.ts';
import { defineApi, endpoint } from './endpoint.ts';

export const ORDER_STATUSES = ['Pending', 'Paid', 'Cancelled', 'Refunded'] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const MAX_QUANTITY = 1000;

export const CurrencyCode = z
  .string()
  .transform((c) => c.toUpperCase())
  .pipe(z.enum(CURRENCY_CODES, { message: `must be one of ${CURRENCY_CODES.join(', ')}` }));

/** The original API's body. `price` is in major units; `user_id`, when sent, must be the caller's own. */
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
  cursor: PageCursor.optional(),
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

const exampleOrder = {
  id: '01a1fd62-42b7-7f9e-995b-362efb061d92',
  user_id: '6f1c2b7e-8f57-4a53-9d55-2f7e8d1c9a10',
  product_name: 'Book',
  quantity: 2,
  unit_amount: 1999,
  amount: 3998,
  currency: 'USD',
  status: 'Pending',
  created_at: '2026-11-21T09:13:57.687Z',
  updated_at: '2026-11-21T09:13:57.687Z',
};
const orderNotFound = { description: "No such order, or another user's.", codes: ['order_not_found'] };

/** The order-service's endpoints. */
export const orderApi = defineApi({
  service: 'order-service',
  description: 'Orders and their status history, with exact money in minor units.',
  endpoints: {
    createOrder: endpoint({
      operationId: 'createOrder',
      tag: 'orders',
      method: 'post',
      path: '/api/order',
      idempotencyKey: true,
      summary: 'Create an order (status Pending)',
      description:
        "`price` is in major units (19.99) with at most the currency's decimals; `amount = unit_amount x quantity` in minor units, exactly, between the currency's Stripe minimum and 99,999,999. `currency` defaults to the service's ORDER_DEFAULT_CURRENCY. `user_id`, when given, must be the caller. Rate limited per user and per client address.",
      access: { user: true },
      body: CreateOrderBody,
      responses: {
        201: { description: 'The new order; `Location` names it.', schema: Order, example: exampleOrder },
        403: { description: 'The body names another user.', codes: ['user_mismatch', 'forbidden'] },
        429: {
          description: 'Too many orders created by this user or from this address; see Retry-After.',
          codes: ['rate_limited'],
        },
      },
    }),
    listOrders: endpoint({
      operationId: 'listOrders',
      tag: 'orders',
      method: 'get',
      path: '/api/orders',
      summary: "The caller's orders, newest first",
      description: 'Cursor-paginated: pass `next_cursor` back as `cursor` until it is null.',
      access: { user: true },
      query: ListOrdersQuery,
      responses: {
        200: {
          description: 'One page.',
          schema: OrderList,
          example: { data: [exampleOrder], next_cursor: null },
        },
      },
    }),
    getOrder: endpoint({
      operationId: 'getOrder',
      tag: 'orders',
      method: 'get',
      path: '/api/order/:id',
      summary: 'An order (its owner or a service)',
      access: { user: true, services: ['payment-service', 'notification-service'] },
      params: IdParams,
      responses: {
        200: { description: 'The order.', schema: Order, example: exampleOrder },
        404: orderNotFound,
      },
    }),
    setOrderStatus: endpoint({
      operationId: 'setOrderStatus',
      tag: 'order status',
      method: 'patch',
      path: '/api/order/:id',
      summary: 'Change the status (the payment-service only)',
      description:
        'Allowed: Pending -> Paid, Pending -> Cancelled, Paid -> Refunded. Repeating the move already made is a 200 no-op, so retries are safe.',
      access: { services: ['payment-service'] },
      idempotent: true,
      params: IdParams,
      body: UpdateOrderStatusBody,
      responses: {
        200: {
          description: 'The order after the move.',
          schema: Order,
          example: { ...exampleOrder, status: 'Paid' },
        },
        404: { description: 'No such order.', codes: ['order_not_found'] },
        409: {
          description: 'Not allowed from the current status; `from` and `to` say which.',
          codes: ['invalid_transition'],
        },
      },
    }),
    cancelOrder: endpoint({
      operationId: 'cancelOrder',
      tag: 'order status',
      method: 'post',
      path: '/api/order/:id/cancel',
      idempotencyKey: true,
      summary: 'Cancel a Pending order (its owner)',
      access: { user: true },
      idempotent: true,
      params: IdParams,
      responses: {
        200: {
          description: 'The cancelled order (also when it already was).',
          schema: Order,
          example: { ...exampleOrder, status: 'Cancelled' },
        },
        404: orderNotFound,
        409: { description: 'The order is Paid or Refunded.', codes: ['invalid_transition'] },
      },
    }),
    orderHistory: endpoint({
      operationId: 'orderHistory',
      tag: 'orders',
      method: 'get',
      path: '/api/order/:id/history',
      summary: 'The status history of an order (its owner)',
      access: { user: true },
      params: IdParams,
      responses: {
        200: { description: 'Each change with time and actor, oldest first.', schema: OrderHistory },
        404: orderNotFound,
      },
    }),
  },
});
