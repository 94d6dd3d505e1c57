import { buildOpenApi, type Operation } from '@shop/shared';
import {
  CreateOrderBody,
  IdParams,
  ListOrdersQuery,
  Order,
  OrderHistory,
  OrderList,
  UpdateOrderStatusBody,
} from '@shop/shared/contracts';

/** Every endpoint of the order-service, documented from the schemas the routes validate with. */
export const operations: Operation[] = [
  {
    method: 'post',
    path: '/api/order',
    summary: 'Create an order (status Pending)',
    description:
      "`price` is in major units (19.99) with at most the currency's decimals; `amount = unit_amount x quantity` in minor units, exactly. `user_id`, when given, must be the caller.",
    access: 'user',
    body: CreateOrderBody,
    responses: {
      201: { description: 'The new order.', schema: Order },
      403: { description: '`user_mismatch`: body user_id is not the caller.' },
    },
  },
  {
    method: 'get',
    path: '/api/orders',
    summary: "The caller's orders, newest first",
    description: 'Cursor-paginated: pass `next_cursor` back as `cursor` until it is null.',
    access: 'user',
    query: ListOrdersQuery,
    responses: { 200: { description: 'One page.', schema: OrderList } },
  },
  {
    method: 'get',
    path: '/api/order/:id',
    summary: 'An order (its owner or a service)',
    access: 'user or service',
    params: IdParams,
    responses: {
      200: { description: 'The order.', schema: Order },
      404: { description: "No such order, or another user's." },
    },
  },
  {
    method: 'patch',
    path: '/api/order/:id',
    summary: 'Change the status (services only)',
    description:
      'Allowed: Pending -> Paid, Pending -> Cancelled, Paid -> Refunded. Repeating the move already made is a 200 no-op, so retries are safe.',
    access: 'service',
    params: IdParams,
    body: UpdateOrderStatusBody,
    responses: {
      200: { description: 'The order after the move.', schema: Order },
      404: { description: 'No such order.' },
      409: { description: '`invalid_transition`, with `from` and `to`.' },
    },
  },
  {
    method: 'post',
    path: '/api/order/:id/cancel',
    summary: 'Cancel a Pending order (its owner or a service)',
    access: 'user or service',
    params: IdParams,
    responses: {
      200: { description: 'The cancelled order (also when it already was).', schema: Order },
      404: { description: "No such order, or another user's." },
      409: { description: '`invalid_transition`: the order is Paid or Refunded.' },
    },
  },
  {
    method: 'get',
    path: '/api/order/:id/history',
    summary: 'The status history of an order (its owner or a service)',
    access: 'user or service',
    params: IdParams,
    responses: {
      200: { description: 'Each change with time and actor, oldest first.', schema: OrderHistory },
      404: { description: "No such order, or another user's." },
    },
  },
];

export const openApiDocument = buildOpenApi(
  {
    title: 'order-service',
    description: 'Orders and their status history, with exact money in minor units.',
    version: '1.0.0',
    serverUrl: '/',
  },
  operations,
);
