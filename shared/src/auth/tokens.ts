import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { unauthorized } from '../errors/AppError.ts';
import type { AuthKeys } from './authEnv.ts';
import { rememberVerified, verifiedEarlier } from './verifiedTokens.ts';

/** Who is calling: a signed-in user, or one of the shop's services. */
export type Principal =
  { kind: 'user'; userId: string; sessionId?: string } | { kind: 'service'; service: string };

/** What verifies tokens here: the user-token key, this service's name and its callers' keys. */
export type VerificationKeys = Pick<AuthKeys, 'publicKey' | 'callerKeys'> & { service: string };

const USER_AUDIENCE = 'shop-api';
const USER_ISSUER = 'shop-user-service';

/**
 * Both kinds are ES256. User tokens are signed only by the user-service's user-token key and carry
 * no `kid`. A service token is signed by the calling service's own key and names it in `kid`, `iss`
 * and `sub`; its `aud` is the one service it is meant for. Each kind is verified with its own key,
 * audience and `typ`, so neither can stand in for the other (and `alg: none` never passes).
 */
export function signUserToken(
  privateKey: string,
  userId: string,
  ttlSeconds: number,
  sessionId?: string,
): string {
  // `sid` names the login session; only the user-service looks it up (see its README, "Sessions").
  return jwt.sign(sessionId ? { typ: 'user', sid: sessionId } : { typ: 'user' }, privateKey, {
    algorithm: 'ES256',
    subject: userId,
    audience: USER_AUDIENCE,
    issuer: USER_ISSUER,
    expiresIn: ttlSeconds,
  });
}

/** A token of `caller` for calls to `audience`, signed with the caller's own private key. */
export function signServiceToken(
  signingKey: string,
  caller: string,
  audience: string,
  ttlSeconds = 300,
): string {
  return jwt.sign({ typ: 'service' }, keyObject(signingKey, 'private'), {
    algorithm: 'ES256',
    keyid: caller,
    issuer: caller,
    subject: caller,
    audience,
    expiresIn: ttlSeconds,
  });
}

const invalid = () => unauthorized('The token is not valid.', 'invalid_token');

/** The caller a token names, or a 401; a token verified before with these keys is answered from verifiedTokens.ts. */
export function verifyToken(keys: VerificationKeys, token: string): Principal {
  const known = verifiedEarlier(keys, token);
  if (known) return known;
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === 'string')
    throw unauthorized('The token is malformed.', 'invalid_token');
  if (decoded.header.alg !== 'ES256') throw invalid();
  const caller = decoded.header.kid;
  try {
    const principal = caller === undefined ? userIn(keys, token) : serviceIn(keys, caller, token);
    if (principal) return rememberVerified(keys, token, principal, decoded.payload.exp);
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw unauthorized('The token has expired.', 'token_expired');
  }
  throw invalid();
}

function userIn(keys: VerificationKeys, token: string): Principal | undefined {
  const claims = jwt.verify(token, keyObject(keys.publicKey, 'public'), {
    algorithms: ['ES256'],
    audience: USER_AUDIENCE,
    issuer: USER_ISSUER,
  }) as jwt.JwtPayload;
  if (claims.typ !== 'user' || typeof claims.sub !== 'string') return undefined;
  const sid: unknown = claims.sid;
  return typeof sid === 'string'
    ? { kind: 'user', userId: claims.sub, sessionId: sid }
    : { kind: 'user', userId: claims.sub };
}

/** Only a service this one holds the key of (a caller its contract names) can be verified at all. */
function serviceIn(keys: VerificationKeys, caller: string, token: string): Principal | undefined {
  const key = Object.hasOwn(keys.callerKeys, caller)
    ? keys.callerKeys[caller as keyof typeof keys.callerKeys]
    : undefined;
  if (!key) return undefined;
  const claims = jwt.verify(token, keyObject(key, 'public'), {
    algorithms: ['ES256'],
    audience: keys.service,
    issuer: caller,
    subject: caller,
  }) as jwt.JwtPayload;
  return claims.typ === 'service' ? { kind: 'service', service: caller } : undefined;
}

/**
 * Given a PEM string, jsonwebtoken parses it into a key object on every sign and verify: a fifth of
 * a token-checked request's CPU. A service has a handful of keys (the user-token key, its callers'
 * keys, its own signing key), so each is parsed once here and kept.
 */
const parsedKeys = new Map<string, KeyObject>();
export function keyObject(key: string, kind: 'public' | 'private'): KeyObject {
  const cacheKey = `${kind}:${key}`;
  let parsed = parsedKeys.get(cacheKey);
  if (!parsed) {
    parsed = kind === 'public' ? createPublicKey(key) : createPrivateKey(key);
    if (parsedKeys.size >= 32) parsedKeys.clear(); // tests make many key pairs; services have a few
    parsedKeys.set(cacheKey, parsed);
  }
  return parsed;
}

/**
 * A function returning a valid token of `caller` for `audience`, minting a new one a minute before
 * the last one expires (one provider per caller and target: each target gets its own audience).
 */
export function serviceTokenProvider(
  signingKey: string,
  caller: string,
  audience: string,
  ttlSeconds = 300,
): () => string {
  let token = '';
  let renewAt = 0;
  return () => {
    const now = Date.now();
    if (now >= renewAt) {
      token = signServiceToken(signingKey, caller, audience, ttlSeconds);
      renewAt = now + (ttlSeconds - 60) * 1000;
    }
    return token;
  };
}
