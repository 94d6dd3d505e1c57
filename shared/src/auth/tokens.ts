import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { unauthorized } from '../errors/AppError.ts';
import type { AuthKeys } from './authEnv.ts';

/** Who is calling: a signed-in user, or one of the shop's services. */
export type Principal = { kind: 'user'; userId: string } | { kind: 'service'; service: string };

const USER_AUDIENCE = 'shop-api';
const USER_ISSUER = 'shop-user-service';
const SERVICE_AUDIENCE = 'shop-internal';

/**
 * User tokens are ES256, signed only by the user-service's private key. Service tokens are HS256
 * with a secret users never see. Each kind is verified with its own pinned algorithm and key and
 * must carry its own `typ`, so neither can stand in for the other (and `alg: none` never passes).
 */
export function signUserToken(privateKey: string, userId: string, ttlSeconds: number): string {
  return jwt.sign({ typ: 'user' }, privateKey, {
    algorithm: 'ES256',
    subject: userId,
    audience: USER_AUDIENCE,
    issuer: USER_ISSUER,
    expiresIn: ttlSeconds,
  });
}

export function signServiceToken(serviceSecret: string, service: string, ttlSeconds = 300): string {
  return jwt.sign({ typ: 'service' }, serviceSecret, {
    algorithm: 'HS256',
    subject: service,
    audience: SERVICE_AUDIENCE,
    expiresIn: ttlSeconds,
  });
}

export function verifyToken(keys: Pick<AuthKeys, 'publicKey' | 'serviceSecret'>, token: string): Principal {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === 'string')
    throw unauthorized('The token is malformed.', 'invalid_token');
  try {
    if (decoded.header.alg === 'ES256') {
      const claims = jwt.verify(token, keyObject(keys.publicKey, 'public'), {
        algorithms: ['ES256'],
        audience: USER_AUDIENCE,
        issuer: USER_ISSUER,
      }) as jwt.JwtPayload;
      if (claims.typ === 'user' && typeof claims.sub === 'string')
        return { kind: 'user', userId: claims.sub };
    } else if (decoded.header.alg === 'HS256') {
      const claims = jwt.verify(token, keyObject(keys.serviceSecret, 'secret'), {
        algorithms: ['HS256'],
        audience: SERVICE_AUDIENCE,
      }) as jwt.JwtPayload;
      if (claims.typ === 'service' && typeof claims.sub === 'string')
        return { kind: 'service', service: claims.sub };
    }
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw unauthorized('The token has expired.', 'token_expired');
    throw unauthorized('The token is not valid.', 'invalid_token');
  }
  throw unauthorized('The token is not valid.', 'invalid_token');
}

/**
 * Given a PEM or secret string, jsonwebtoken parses it into a key object on every verify (and tries,
 * and fails, to read a secret as a public key first): a fifth of a token-checked request's CPU.
 * A service has one or two keys, so each is parsed once here and kept.
 */
const parsedKeys = new Map<string, KeyObject>();
export function keyObject(key: string, kind: 'public' | 'secret'): KeyObject {
  const cacheKey = `${kind}:${key}`;
  let parsed = parsedKeys.get(cacheKey);
  if (!parsed) {
    parsed = kind === 'public' ? createPublicKey(key) : createSecretKey(Buffer.from(key, 'utf8'));
    if (parsedKeys.size >= 16) parsedKeys.clear(); // tests make many key pairs; services have one
    parsedKeys.set(cacheKey, parsed);
  }
  return parsed;
}

/** A function returning a valid service token for `service`, minting a new one shortly before expiry. */
export function serviceTokenProvider(serviceSecret: string, service: string, ttlSeconds = 300): () => string {
  let token = '';
  let renewAt = 0;
  return () => {
    const now = Date.now();
    if (now >= renewAt) {
      token = signServiceToken(serviceSecret, service, ttlSeconds);
      renewAt = now + (ttlSeconds - 60) * 1000;
    }
    return token;
  };
}
