import { conflict, forbidden, notFound, validationFailed, type Currency, type Principal } from '@shop/shared';
import type { Order, OrderStatus } from '@shop/shared/contracts';
import type { HistoryEntry, OrderPage, OrderStore } from '../data/orderStore.ts';
import { actorOf, visibleOrder } from './access.ts';
import { uuidv7 } from './ids.ts';
import { priceOrder } from './pricing.ts';
import { sourceOf } from './statusMachine.ts';

export interface CreateOrderInput {
  product_name: string;
  quantity: number;
  price: number | string;
  currency: Currency;
  /** Optional in the body (seed 002 sends it); when present it must be the caller. */
  user_id?: string;
}

/** A user places an order for themselves; it starts Pending with its amount fixed in minor units. */
export function createOrder(store: OrderStore, principal: Principal, input: CreateOrderInput): Order {
  if (principal.kind !== 'user') throw forbidden('Only a user may place an order.');
  if (input.user_id !== undefined && input.user_id !== principal.userId) {
    throw forbidden('user_id must be your own user id.', 'user_mismatch');
  }
  const pricing = priceOrder(input);
  if (!pricing.ok) throw validationFailed([{ in: 'body', field: pricing.field, message: pricing.message }]);
  return store.create(
    {
      id: uuidv7(),
      user_id: principal.userId,
      product_name: input.product_name,
      quantity: input.quantity,
      unit_amount: pricing.unit_amount,
      amount: pricing.amount,
      currency: input.currency,
      created_at: new Date().toISOString(),
    },
    actorOf(principal),
  );
}

export function getOrder(store: OrderStore, principal: Principal, id: string): Order {
  return visibleOrder(store, principal, id);
}

/** A user's own orders, newest first; services have no orders of their own to list. */
export function listOrders(
  store: OrderStore,
  principal: Principal,
  query: { status?: OrderStatus; before?: number; limit: number },
): OrderPage {
  if (principal.kind !== 'user') throw forbidden('Only a user may list their orders.');
  return store.list({ userId: principal.userId, ...query });
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
