import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { notFound, unauthorized } from '../errors/AppError.ts';

/**
 * Who may read `/metrics`. Its counts (payments by outcome, declines by code, calls per neighbour)
 * tell an outsider how the shop is doing and how it fails, so it is never public in production:
 * - `token`: only requests carrying `Authorization: Bearer <METRICS_TOKEN>` (Prometheus'
 *   `authorization` / `bearer_token` settings send it);
 * - `off`: production without METRICS_TOKEN - nobody (404, as if there were no such route);
 * - `open`: development and tests without a token - anyone who can reach the service.
 */
export type MetricsAccess = { token: string } | 'open' | 'off';

export function metricsAccessFor(config: { NODE_ENV: string; METRICS_TOKEN?: string }): MetricsAccess {
  if (config.METRICS_TOKEN) return { token: config.METRICS_TOKEN };
  return config.NODE_ENV === 'production' ? 'off' : 'open';
}

/** The guard in front of `/metrics` for the given access. */
export function metricsGuard(access: MetricsAccess): RequestHandler {
  if (access === 'open') return (_req, _res, next) => next();
  if (access === 'off') {
    return () => {
      throw notFound('Metrics are off: set METRICS_TOKEN to serve them.');
    };
  }
  const expected = Buffer.from(`Bearer ${access.token}`);
  return (req, _res, next) => {
    const given = Buffer.from(req.get('authorization') ?? '');
    // Same length first (timingSafeEqual needs it); the length of a 32+ character token is no secret.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw unauthorized('Reading metrics needs "Authorization: Bearer <METRICS_TOKEN>".');
    }
    next();
  };
}
