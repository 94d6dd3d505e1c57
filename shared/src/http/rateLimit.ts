import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError } from '../errors/AppError.ts';

/**
 * A per-client-IP limit of `limit` requests per `windowMs`, answered with 429, `Retry-After` and the
 * common problem body. `limit: 0` turns the limiter off (benchmarks).
 */
export function createRateLimiter(options: {
  windowMs: number;
  limit: number;
  name: string;
}): RequestHandler {
  if (options.limit === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    identifier: options.name,
    handler: (req, res, next) => {
      const info = (req as { rateLimit?: { resetTime?: Date } }).rateLimit;
      const resetTime = info?.resetTime?.getTime() ?? Date.now() + options.windowMs;
      const retryAfter = Math.max(1, Math.ceil((resetTime - Date.now()) / 1000));
      res.setHeader('Retry-After', String(retryAfter));
      next(
        new AppError(429, 'rate_limited', `Too many ${options.name} attempts. Try again in ${retryAfter} s.`),
      );
    },
  });
}
