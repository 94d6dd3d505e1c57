import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { signServiceToken, signUserToken, type DevKeys } from '@shop/shared';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

const userClaims = (userId: string) => ({
  typ: 'user',
  sub: userId,
  aud: 'shop-api',
  iss: 'shop-user-service',
  iat: now(),
  exp: now() + 600,
});
/** What the payment-service's token for the order-service says (its header names `kid: payment-service`). */
export const serviceClaims = (overrides: object = {}) => ({
  typ: 'service',
  iss: 'payment-service',
  sub: 'payment-service',
  aud: 'order-service',
  iat: now(),
  exp: now() + 300,
  ...overrides,
});

function hs256(claims: object, secret: string | Buffer): string {
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** An ES256 token over any claims; `kid` in the header names the key a service token claims. */
export function es256(claims: object, privateKey: string, kid?: string): string {
  const head = `${b64({ alg: 'ES256', typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64(claims)}`;
  const signature = sign('sha256', Buffer.from(head), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${head}.${signature.toString('base64url')}`;
}

const unsigned = (claims: object, alg = 'none') => `${b64({ alg, typ: 'JWT' })}.${b64(claims)}.`;

/**
 * Tokens that must be refused with 401 wherever a token is needed: what an attacker can make or
 * keep, plus each kind's claims under the other kind's key (each kind is pinned to its own key).
 * `realUserToken` is a genuine token of the attacker, whose payload they then edit.
 */
export function forgedTokens(keys: DevKeys, userId: string, realUserToken: string): Record<string, string> {
  const otherKey = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  const [head, , signature] = realUserToken.split('.');
  return {
    'expired user token (real key)': signUserToken(keys.privateKey, userId, -60),
    'expired service token (real key)': signServiceToken(
      keys.services['payment-service'].privateKey,
      'payment-service',
      'order-service',
      -60,
    ),
    'user token signed with another ES256 key': es256(userClaims(userId), otherKey),
    'alg none user token': unsigned(userClaims(userId)),
    'alg NONE service token': unsigned(serviceClaims(), 'NONE'),
    'user-minted service token (guessed secret)': hs256(serviceClaims(), 'secret'),
    'user-minted service token (HS256 keyed with the public key)': hs256(serviceClaims(), keys.publicKey),
    "user-minted service token (HS256 keyed with the payment-service's public key)": hs256(
      serviceClaims(),
      keys.services['payment-service'].publicKey,
    ),
    "user's own token with its payload edited to a service": `${head}.${b64(serviceClaims())}.${signature}`,
    'service claims in an ES256 token of another key': es256(serviceClaims(), otherKey, 'payment-service'),
    'service claims signed with the user-token key': es256(
      serviceClaims(),
      keys.privateKey,
      'payment-service',
    ),
    "user claims signed with a service's key": es256(
      userClaims(userId),
      keys.services['payment-service'].privateKey,
    ),
    "user claims with a service's kid, signed with its key": es256(
      userClaims(userId),
      keys.services['payment-service'].privateKey,
      'payment-service',
    ),
  };
}
