import type { Express } from 'express';
import { apiRouter, createServiceApp } from '@shop/shared';
import { orderApi } from '@shop/shared/contracts';
import type { Dependencies } from './dependencies.ts';
import { orderRoutes } from './http/routes.ts';

/** The order-service's Express app, assembled from its dependencies; it does not listen. */
export function createApp(deps: Dependencies): Express {
  return createServiceApp({
    api: orderApi,
    routes: apiRouter(orderApi, orderRoutes(deps), deps.keys, {
      idempotency: {
        keys: deps.store.idempotencyKeys,
        retentionMs: deps.config.ORDER_IDEMPOTENCY_RETENTION_HOURS * 60 * 60 * 1000,
      },
    }),
    logger: deps.logger,
    metrics: deps.metrics,
    trustProxy: deps.config.TRUST_PROXY,
    readiness: () => deps.store.ping(),
  });
}
