import type { Express } from 'express';
import { apiRouter, createServiceApp } from '@shop/shared';
import { userApi } from '@shop/shared/contracts';
import type { Dependencies } from './dependencies.ts';
import { userRoutes } from './http/routes.ts';

/** The user-service's Express app, assembled from its dependencies; it does not listen. */
export function createApp(deps: Dependencies): Express {
  return createServiceApp({
    api: userApi,
    routes: apiRouter(userApi, userRoutes(deps), deps.keys, {
      idempotency: {
        keys: deps.idempotencyKeys,
        retentionMs: deps.config.USER_IDEMPOTENCY_RETENTION_HOURS * 60 * 60 * 1000,
      },
    }),
    logger: deps.logger,
    metrics: deps.metrics,
    trustProxy: deps.config.TRUST_PROXY,
    readiness: () => deps.store.ping(),
  });
}
