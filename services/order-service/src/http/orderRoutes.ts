import { Router } from 'express';
import { parseRequest, principalOf, requireAuth, type AuthKeys, type Currency } from '@shop/shared';
import { IdParams, UpdateOrderStatusBody } from '@shop/shared/contracts';
import type { OrderStore } from '../data/orderStore.ts';
import { actorOf } from '../domain/access.ts';
import {
  cancelOrder,
  changeStatus,
  createOrder,
  getOrder,
  listOrders,
  orderHistory,
} from '../domain/orders.ts';
import { encodeCursor } from './cursor.ts';
import { ListQuery, createOrderBodySchema } from './schemas.ts';

export interface OrderRoutesDeps {
  store: OrderStore;
  keys: Pick<AuthKeys, 'publicKey' | 'serviceSecret'>;
  defaultCurrency: Currency;
}

export function orderRoutes({ store, keys, defaultCurrency }: OrderRoutesDeps): Router {
  const router = Router();
  const userOnly = requireAuth(keys, ['user']);
  const serviceOnly = requireAuth(keys, ['service']);
  const userOrService = requireAuth(keys, ['user', 'service']);
  const CreateBody = createOrderBodySchema(defaultCurrency);

  router.post('/api/order', userOnly, (req, res) => {
    const { body } = parseRequest(req, { body: CreateBody });
    const order = createOrder(store, principalOf(res), {
      ...body,
      currency: body.currency ?? defaultCurrency,
    });
    res.status(201).location(`/api/order/${order.id}`).json(order);
  });

  // The caller's own orders; services read single orders by id instead.
  router.get('/api/orders', userOnly, (req, res) => {
    const { query } = parseRequest(req, { query: ListQuery });
    const { status, cursor: before, limit } = query;
    const page = listOrders(store, principalOf(res), { status, before, limit });
    res.json({
      data: page.orders,
      next_cursor: page.nextBefore === null ? null : encodeCursor(page.nextBefore),
    });
  });

  router.get('/api/order/:id', userOrService, (req, res) => {
    const { params } = parseRequest(req, { params: IdParams });
    res.json(getOrder(store, principalOf(res), params.id));
  });

  // Status changes are for the shop's services only: a user token, even the owner's, gets 403.
  router.patch('/api/order/:id', serviceOnly, (req, res) => {
    const { params, body } = parseRequest(req, { params: IdParams, body: UpdateOrderStatusBody });
    res.json(changeStatus(store, params.id, body.status, actorOf(principalOf(res))));
  });

  router.post('/api/order/:id/cancel', userOrService, (req, res) => {
    const { params } = parseRequest(req, { params: IdParams });
    res.json(cancelOrder(store, principalOf(res), params.id));
  });

  router.get('/api/order/:id/history', userOrService, (req, res) => {
    const { params } = parseRequest(req, { params: IdParams });
    res.json({ order_id: params.id, history: orderHistory(store, principalOf(res), params.id) });
  });

  return router;
}
