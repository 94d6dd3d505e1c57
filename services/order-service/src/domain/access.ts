import { isSelfOrService, notFound, type Principal } from '@shop/shared';
import type { Order } from '@shop/shared/contracts';
import type { OrderStore } from '../data/orderStore.ts';

/** How the history names who made a change: `user:<id>` or `service:<name>`. */
export function actorOf(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.userId}` : `service:${principal.service}`;
}

/**
 * The order, if the caller may see it: its owner or any service. Another user gets the same 404
 * as for an order that does not exist, so order ids cannot be probed.
 */
export function visibleOrder(store: OrderStore, principal: Principal, id: string): Order {
  const order = store.findById(id);
  if (!order || !isSelfOrService(principal, order.user_id))
    throw notFound(`Order ${id} was not found.`, 'order_not_found');
  return order;
}
