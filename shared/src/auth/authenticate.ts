import type { RequestHandler, Response } from 'express';
import { forbidden, unauthorized } from '../errors/AppError.ts';
import type { AuthKeys } from './authEnv.ts';
import { verifyToken, type Principal } from './tokens.ts';

type Kind = Principal['kind'];

/**
 * Requires a bearer token of one of the allowed kinds and stores the caller in `res.locals`.
 * No or bad token -> 401; a valid token of a kind this route refuses (a user on a service-only
 * route) -> 403.
 */
export function requireAuth(
  keys: Pick<AuthKeys, 'publicKey' | 'serviceSecret'>,
  allow: Kind[],
): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer ([\w-]+\.[\w-]*\.[\w-]*)$/i.exec(header.trim()) : null;
    if (!match?.[1]) {
      throw unauthorized(
        header ? 'The Authorization header must be "Bearer <token>".' : 'Authentication is required.',
      );
    }
    const principal = verifyToken(keys, match[1]);
    if (!allow.includes(principal.kind)) {
      throw forbidden(
        principal.kind === 'user'
          ? 'Only the shop services may call this endpoint.'
          : 'Only a user may call this endpoint.',
      );
    }
    res.locals.principal = principal;
    next();
  };
}

/** The caller that requireAuth stored (throws if the route forgot requireAuth). */
export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new Error('principalOf() used on a route without requireAuth()');
  return principal;
}

/** True when the caller is this user or a service: the rule for a user's own resources. */
export function isSelfOrService(principal: Principal, userId: string): boolean {
  return principal.kind === 'service' || principal.userId === userId;
}
