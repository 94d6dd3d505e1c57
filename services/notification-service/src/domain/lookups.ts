import { badGateway, notFound, serviceUnavailable, statusOf, type Logger } from '@shop/shared';
import type { OrderClient, UserClient } from '@shop/shared/clients';
import type { Order, Preferences, User } from '@shop/shared/contracts';
import { ZodError } from 'zod';
import type { AppError } from '@shop/shared';

export type UserLookup = Pick<UserClient, 'getUser' | 'getPreferences'>;
export type OrderLookup = Pick<OrderClient, 'getOrder'>;

/**
 * Turns a failed call to a neighbour into what our caller should see: their 404 is ours; an outage
 * is a 503 (nothing was recorded, so the caller may simply retry); anything else is a 502.
 */
function upstreamError(error: unknown, service: string, missing: AppError, logger: Logger): AppError {
  const status = statusOf(error);
  if (status === 404) return missing;
  if (!(error instanceof ZodError) && (status === undefined || status >= 500)) {
    logger.warn({ err: error, service }, `${service} unavailable`);
    return serviceUnavailable(
      `The ${service} is unavailable; nothing was sent. Try again later.`,
      `${service.replace('-', '_')}_unavailable`,
    );
  }
  logger.error({ err: error, service, status }, `${service} refused or answered unexpectedly`);
  return badGateway(`The ${service} gave an unexpected answer.`);
}

const userNotFound = () => notFound('No user with this id.', 'user_not_found');
const orderNotFound = () => notFound('No order with this id for this user.', 'order_not_found');

export async function fetchUser(
  users: UserLookup,
  userId: string,
  logger: Logger,
): Promise<{ user: User; preferences: Preferences }> {
  try {
    const [user, preferences] = await Promise.all([users.getUser(userId), users.getPreferences(userId)]);
    return { user, preferences };
  } catch (error) {
    throw upstreamError(error, 'user-service', userNotFound(), logger);
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
    order = await orders.getOrder(orderId);
  } catch (error) {
    throw upstreamError(error, 'order-service', orderNotFound(), logger);
  }
  if (order.user_id !== userId) throw orderNotFound();
  return order;
}
