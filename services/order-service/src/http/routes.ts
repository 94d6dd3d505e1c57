import { type Implementation } from '@shop/shared';
import { encodeCursor, type orderApi } from '@shop/shared/contracts';
import type { Dependencies } from '../dependencies.ts';
import { actorOf } from '../domain/access.ts';
import {
  cancelOrder,
  changeStatus,
  createOrder,
  getOrder,
  listOrders,
  orderHistory,
} from '../domain/orders.ts';
import { orderBodyWithPricing } from './pricingRules.ts';

/** The order-service's handlers, one per endpoint of its contract. */
export function orderRoutes({
  store,
  config,
  createOrderLimits,
  orderMails,
}: Dependencies): Implementation<typeof orderApi> {
  const defaultCurrency = config.ORDER_DEFAULT_CURRENCY;
  return {
    createOrder: {
      before: createOrderLimits,
      body: orderBodyWithPricing(defaultCurrency),
      handle: ({ body, caller }) => {
        const input = { ...body, currency: body.currency ?? defaultCurrency };
        const order = createOrder(store, caller.userId, input, orderMails.firstDueAt(Date.now()));
        // Never awaited: creating an order does not wait for, or fail with, its mail. The request
        // committed with the order; should this try fail, the worker tries again.
        orderMails.kick(order);
        return { status: 201, body: order, headers: { Location: `/api/order/${order.id}` } };
      },
    },
    listOrders: ({ query, caller }) => {
      const { status, cursor: before, limit } = query;
      const page = listOrders(store, caller.userId, { status, before, limit });
      const next_cursor = page.nextBefore === null ? null : encodeCursor(page.nextBefore);
      return { status: 200, body: { data: page.orders, next_cursor } };
    },
    getOrder: ({ params, caller }) => ({ status: 200, body: getOrder(store, caller, params.id) }),
    setOrderStatus: ({ params, body, caller }) => ({
      status: 200,
      body: changeStatus(store, params.id, body.status, actorOf(caller)),
    }),
    cancelOrder: ({ params, caller }) => ({ status: 200, body: cancelOrder(store, caller, params.id) }),
    orderHistory: ({ params, caller }) => ({
      status: 200,
      body: { order_id: params.id, history: orderHistory(store, caller, params.id) },
    }),
  };
}
