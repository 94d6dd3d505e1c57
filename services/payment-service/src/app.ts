import type { Express } from 'express';
import { apiRouter, createServiceApp } from '@shop/shared';
import { paymentApi } from '@shop/shared/contracts';
import { idempotencyRetentionMs, type Dependencies } from './dependencies.ts';
import { paymentRoutes } from './http/routes.ts';

/** The payment-service's Express app, assembled from its dependencies; it does not listen. */
export function createApp(deps: Dependencies): Express {
  return createServiceApp({
    api: paymentApi,
    routes: apiRouter(paymentApi, paymentRoutes(deps), deps.keys, {
      idempotency: { keys: deps.store.idempotency, retentionMs: idempotencyRetentionMs(deps.config) },
    }),
    logger: deps.logger,
    metrics: deps.metrics,
    trustProxy: deps.config.TRUST_PROXY,
    readiness: () => deps.store.ping(),
  });
}
