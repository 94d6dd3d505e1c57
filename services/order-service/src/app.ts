import {
  createServiceApp,
  docsRouter,
  type AuthKeys,
  type Currency,
  type Logger,
  type ServiceMetrics,
} from '@shop/shared';
import type { Express } from 'express';
import type { OrderStore } from './data/orderStore.ts';
import { openApiDocument } from './http/openapi.ts';
import { orderRoutes } from './http/orderRoutes.ts';

export { openOrderStore } from './data/sqliteOrderStore.ts';
export type { OrderStore } from './data/orderStore.ts';

export interface OrderAppDeps {
  logger: Logger;
  keys: Pick<AuthKeys, 'publicKey' | 'serviceSecret'>;
  store: OrderStore;
  /** Currency of an order whose body names none (default USD). */
  defaultCurrency?: Currency;
  metrics?: ServiceMetrics;
}

/**
 * The order-service's Express app, without listening. Neighbours' tests start a real one with
 * `listen(createApp({ logger, keys: testKeys, store: openOrderStore(':memory:') }))`.
 */
export function createApp({ logger, keys, store, defaultCurrency = 'USD', metrics }: OrderAppDeps): Express {
  return createServiceApp({
    name: 'order-service',
    logger,
    metrics,
    routes: orderRoutes({ store, keys, defaultCurrency }),
    publicRoutes: docsRouter(openApiDocument),
    readiness: () => store.ping(),
  });
}
