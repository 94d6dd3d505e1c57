import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { accessLog } from '../logging/accessLog.ts';
import { requestIdMiddleware } from '../logging/requestContext.ts';
import type { ServiceMetrics } from '../metrics/metrics.ts';
import { metricsGuard } from '../metrics/metricsAccess.ts';
import { errorHandler, notFoundHandler } from './errorHandler.ts';
import { AppError } from '../errors/AppError.ts';
import { storageFault } from '../db/storageFaults.ts';
import type { Api } from '../contracts/endpoint.ts';
import type { TrustProxy } from '../config/envSchemas.ts';
import { buildOpenApi } from '../openapi/buildOpenApi.ts';
import { docsRouter } from '../openapi/docsRouter.ts';
import { rawBodyPaths } from './apiRouter.ts';

export interface ServiceAppOptions {
  /** The service's API: its name, its OpenAPI document at /openapi.json and /docs. */
  api: Api;
  logger: Logger;
  /** The API's routes (apiRouter), mounted at `/` after the common middleware. */
  routes: Router;
  /** Resolves when the service can do its work (store reachable, config usable); throws otherwise. */
  readiness?: () => Promise<void> | void;
  metrics: ServiceMetrics;
  bodyLimit?: string;
  /** TRUST_PROXY: which proxies' X-Forwarded-For gives the client address (`req.ip`); false by default. */
  trustProxy?: TrustProxy;
}

/**
 * Builds a service's Express app with the pieces every service shares: security headers, request
 * ids, JSON logs, body limits, /health, /ready, /metrics, 404s and the one error handler.
 * It does not listen, so tests drive it with supertest.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const { api, logger, metrics } = options;
  const name = api.service;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple'); // flat query strings: no nested objects from ?a[b]=c
  // Behind a reverse proxy every client shares the proxy's address (one rate-limit bucket for all);
  // the setting names the proxies whose X-Forwarded-For is believed, and no one else's.
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(helmet());
  app.use(requestIdMiddleware);
  app.use(accessLog(logger));
  app.use(metrics.middleware());
  const limit = options.bodyLimit ?? '64kb';
  for (const path of rawBodyPaths(api)) app.use(path, express.raw({ type: '*/*', limit }));
  app.use(express.json({ limit, strict: true }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: name });
  });
  app.get('/ready', async (_req, res) => {
    try {
      await options.readiness?.();
    } catch (error) {
      logger.warn({ err: error }, 'not ready');
      // A store that cannot be written says why (store_full, ...) and when to look again.
      const fault = storageFault(error);
      throw new AppError(
        503,
        'not_ready',
        `${name} is not ready.`,
        fault ? { reason: fault.code } : {},
        fault?.headers,
      );
    }
    res.json({ status: 'ready', service: name });
  });
  app.get('/metrics', metricsGuard(metrics.access), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(docsRouter(buildOpenApi(api)));
  app.use(options.routes);
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
