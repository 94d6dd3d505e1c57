import type { Express } from 'express';
import { apiRouter, createServiceApp } from '@shop/shared';
import { notificationApi } from '@shop/shared/contracts';
import type { Dependencies } from './dependencies.ts';
import { notificationRoutes } from './http/routes.ts';

/**
 * The notification-service's Express app, assembled from its dependencies; it does not listen and
 * does not start the delivery worker (`deps.worker.start()`). Gmail being down does not make it
 * unready: mail is queued.
 */
export function createApp(deps: Dependencies): Express {
  return createServiceApp({
    api: notificationApi,
    routes: apiRouter(notificationApi, notificationRoutes(deps), deps.keys),
    logger: deps.logger,
    metrics: deps.metrics,
    trustProxy: deps.config.TRUST_PROXY,
    readiness: () => deps.store.ping(),
  });
}
