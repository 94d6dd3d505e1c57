import type { RequestHandler, Response } from 'express';
import type { Access } from '../contracts/endpoint.ts';
import { forbidden, unauthorized } from '../errors/AppError.ts';
import { verifyToken, type Principal, type VerificationKeys } from './tokens.ts';

/** The keys that verify tokens (every service has them; only the user-service can sign user tokens). */
export type TokenKeys = VerificationKeys;

const BEARER = /^Bearer ([\w-]+\.[\w-]*\.[\w-]*)$/i;

/** The caller named by the request's bearer token; 401 when there is none or it is not valid. */
export function authenticate(keys: TokenKeys, header: string | undefined): Principal {
  const match = header ? BEARER.exec(header.trim()) : null;
  if (!match?.[1]) {
    throw unauthorized(
      header ? 'The Authorization header must be "Bearer <token>".' : 'Authentication is required.',
    );
  }
  return verifyToken(keys, match[1]);
}

/** Why `principal` may not call an endpoint with this access, or undefined when it may. */
function refusal(principal: Principal, access: Exclude<Access, 'public'>): string | undefined {
  if (principal.kind === 'user') {
    return access.user ? undefined : 'Only the shop services may call this endpoint.';
  }
  if (access.services?.some((name) => name === principal.service)) return undefined;
  return access.services?.length
    ? `The ${principal.service} may not call this endpoint.`
    : 'Only a user may call this endpoint.';
}

/**
 * Enforces an endpoint's `access` and stores the caller in `res.locals`. No or bad token -> 401;
 * a valid token of a caller the endpoint does not list (a user on a service-only endpoint, a
 * service that is not named) -> 403.
 */
export function authorize(keys: TokenKeys, access: Access): RequestHandler {
  if (access === 'public') return (_req, _res, next) => next();
  return (req, res, next) => {
    const principal = authenticate(keys, req.get('authorization'));
    const reason = refusal(principal, access);
    if (reason) throw forbidden(reason);
    res.locals.principal = principal;
    next();
  };
}

/** The caller that `authorize` stored (throws if the route has none). */
export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new Error('principalOf() used on a route without authorization');
  return principal;
}

/** True when the caller is this user or a service: the rule for a user's own resources. */
export function isSelfOrService(principal: Principal, userId: string): boolean {
  return principal.kind === 'service' || principal.userId === userId;
}
