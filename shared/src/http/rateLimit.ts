import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../errors/AppError.ts';

/**
 * Whom a limit counts:
 * - `address`: the client address (`req.ip`: behind a reverse proxy, set TRUST_PROXY so that it is
 *   the client's and not the proxy's); IPv6 addresses count per /56, as one customer holds a prefix;
 * - `user`: the signed-in user (the route's `access` ran first), or the address when nobody is;
 * - a function: the key it gives for the request (e.g. the account a login names); a request it
 *   gives no key for is not counted by this limiter.
 */
export type RateLimitKey = 'address' | 'user' | ((req: Request) => string | undefined);

const addressOf = (req: Request) => `address:${ipKeyGenerator(req.ip ?? 'unknown')}`;

function keyOf(per: RateLimitKey, req: Request, res: Response): string | undefined {
  if (per === 'address') return addressOf(req);
  if (per === 'user') {
    const principal = res.locals.principal as { kind: string; userId?: string } | undefined;
    return principal?.kind === 'user' && principal.userId ? `user:${principal.userId}` : addressOf(req);
  }
  const key = per(req);
  return key === undefined ? undefined : `key:${key}`;
}

/**
 * A limit of `limit` requests per `windowMs` for each client (`per`, the address by default),
 * answered with 429, `Retry-After` and the common problem body. `failuresOnly` counts only answers
 * of 400 and above (e.g. failed logins). `limit: 0` turns the limiter off (benchmarks). Counts are
 * kept in this process's memory: each instance counts alone, and a restart forgets them.
 */
export function createRateLimiter(options: {
  windowMs: number;
  limit: number;
  name: string;
  per?: RateLimitKey;
  failuresOnly?: boolean;
}): RequestHandler {
  if (options.limit === 0) return (_req, _res, next) => next();
  const per = options.per ?? 'address';
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    identifier: options.name,
    keyGenerator: (req, res) => keyOf(per, req, res) ?? 'none',
    skip: (req, res) => keyOf(per, req, res) === undefined,
    skipSuccessfulRequests: options.failuresOnly ?? false,
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

/**
 * The two limits of a signed-in write that costs something (an order, a card attempt): one per
 * user, against one account used from many addresses, and one per address, against many accounts
 * driven from one address.
 */
export function userAndAddressLimits(options: {
  name: string;
  windowMs: number;
  perUser: number;
  perAddress: number;
}): RequestHandler[] {
  const { name, windowMs } = options;
  return [
    createRateLimiter({ name, windowMs, limit: options.perUser, per: 'user' }),
    createRateLimiter({ name, windowMs, limit: options.perAddress, per: 'address' }),
  ];
}
