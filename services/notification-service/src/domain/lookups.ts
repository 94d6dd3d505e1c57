import { DependencyError, notFound, type AppError, type Logger } from '@shop/shared';
import { CallError, type ApiClient } from '@shop/shared/clients';
import type { Order, Preferences, User, orderApi, userApi } from '@shop/shared/contracts';

/** What the notifier asks of the user- and order-service (their typed clients, or a stand-in). */
export type UserLookup = Pick<ApiClient<typeof userApi>, 'call'>;
export type OrderLookup = Pick<ApiClient<typeof orderApi>, 'call'>;

/**
 * Turns a failed call to a neighbour into what our caller should see: their 404 is ours; an outage
 * (no answer, or a 5xx) is `<service>_unavailable` (503: nothing was recorded, so the caller may
 * simply retry); anything else (a malformed answer, an unexpected 4xx) is `upstream_error` (502).
 */
function lookupFailure(error: unknown, service: string, missing: AppError, logger: Logger): Error {
  if (!(error instanceof CallError)) return error as Error;
  if (error.status === 404) return missing;
  if (error.status === undefined || error.status >= 500) {
    logger.warn({ err: error, service }, `${service} unavailable`);
    return new DependencyError(
      `${service.replace('-', '_')}_unavailable`,
      `The ${service} is unavailable; nothing was sent. Try again later.`,
      'unavailable',
    );
  }
  logger.error(
    { err: error, service, status: error.status, code: error.code },
    `${service} refused or answered unexpectedly`,
  );
  return new DependencyError('upstream_error', `The ${service} gave an unexpected answer.`, 'failed');
}

const userNotFound = () => notFound('No user with this id.', 'user_not_found');
const orderNotFound = () => notFound('No order with this id for this user.', 'order_not_found');

export async function fetchUser(
  users: UserLookup,
  userId: string,
  logger: Logger,
): Promise<{ user: User; preferences: Preferences }> {
  try {
    return await users.call('getRecipient', { params: { id: userId } });
  } catch (error) {
    throw lookupFailure(error, 'user-service', userNotFound(), logger);
  }
}

/** The order, which must belong to the user (another user's order is "not found" to them). */
export async function fetchOrder(
  orders: OrderLookup,
  orderId: string,
  userId: string,
  logger: Logger,
): Promise<Order> {
  let order: Order;
  try {
    order = await orders.call('getOrder', { params: { id: orderId } });
  } catch (error) {
    throw lookupFailure(error, 'order-service', orderNotFound(), logger);
  }
  if (order.user_id !== userId) throw orderNotFound();
  return order;
}
