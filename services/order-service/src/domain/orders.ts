import type { z } from 'zod';
import { conflict, forbidden, notFound, validationFailed, type Currency, type Principal } from '@shop/shared';
import type { CreateOrderBody, Order, OrderStatus } from '@shop/shared/contracts';
import type { HistoryEntry, OrderPage, OrderStore } from '../data/orderStore.ts';
import { actorOf, visibleOrder } from './access.ts';
import { uuidv7 } from './ids.ts';
import { priceOrder } from './pricing.ts';
import { sourceOf } from './statusMachine.ts';

/** A validated order body, its currency resolved (the body's, or the service's default). */
export type NewOrderInput = z.output<typeof CreateOrderBody> & { currency: Currency };

/**
 * A user places an order for themselves; it starts Pending with its amount fixed in minor units, and
 * owes its order_created mail request, first due for the worker at `mailDueAt` (OrderMails.firstDueAt).
 */
export function createOrder(
  store: OrderStore,
  userId: string,
  input: NewOrderInput,
  mailDueAt: number,
): Order {
  if (input.user_id !== undefined && input.user_id !== userId) {
    throw forbidden('user_id must be your own user id.', 'user_mismatch');
  }
  const pricing = priceOrder(input);
  if (!pricing.ok) throw validationFailed([{ in: 'body', field: pricing.field, message: pricing.message }]);
  return store.create(
    {
      id: uuidv7(),
      user_id: userId,
      product_name: input.product_name,
      quantity: input.quantity,
      unit_amount: pricing.unit_amount,
      amount: pricing.amount,
      currency: input.currency,
      created_at: new Date().toISOString(),
    },
    `user:${userId}`,
    mailDueAt,
  );
}

export function getOrder(store: OrderStore, principal: Principal, id: string): Order {
  return visibleOrder(store, principal, id);
}

/** A user's own orders, newest first. */
export function listOrders(
  store: OrderStore,
  userId: string,
  query: { status?: OrderStatus; before?: number; limit: number },
): OrderPage {
  return store.list({ userId, ...query });
}

export function orderHistory(store: OrderStore, principal: Principal, id: string): HistoryEntry[] {
  visibleOrder(store, principal, id);
  return store.history(id);
}

/**
 * Moves an order to `to`. The move is one conditional UPDATE from the only status that leads to
 * `to`, so of concurrent movers exactly one wins. Everyone else re-reads: if the order already is
 * `to`, the same move was made before (a retry) and the answer is the order, unchanged; otherwise
 * the move is not allowed from where the order is: 409 with `from` and `to`.
 */
export function changeStatus(store: OrderStore, id: string, to: OrderStatus, actor: string): Order {
  const from = sourceOf(to);
  if (from) {
    const moved = store.move(id, from, to, actor, new Date().toISOString());
    if (moved) return moved;
  }
  const current = store.findById(id);
  if (!current) throw notFound(`Order ${id} was not found.`, 'order_not_found');
  if (from && current.status === to) return current;
  throw conflict(`An order cannot move from ${current.status} to ${to}.`, 'invalid_transition', {
    from: current.status,
    to,
  });
}

/** The owner (or a service) cancels an order that is still Pending; Paid orders are refunded instead. */
export function cancelOrder(store: OrderStore, principal: Principal, id: string): Order {
  visibleOrder(store, principal, id);
  return changeStatus(store, id, 'Cancelled', actorOf(principal));
}
