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
const serviceClaims = () => ({
  typ: 'service',
  sub: 'payment-service',
  aud: 'shop-internal',
  iat: now(),
  exp: now() + 300,
});

function hs256(claims: object, secret: string | Buffer): string {
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

function es256(claims: object, privateKey: string): string {
  const head = `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64(claims)}`;
  const signature = sign('sha256', Buffer.from(head), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${head}.${signature.toString('base64url')}`;
}

const unsigned = (claims: object, alg = 'none') => `${b64({ alg, typ: 'JWT' })}.${b64(claims)}.`;

/**
 * Tokens that must be refused with 401 wherever a token is needed: what an attacker can make or
 * keep, plus a user-typed token under the service secret (each kind is pinned to its own key).
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
    'expired service token (real secret)': signServiceToken(keys.serviceSecret, 'payment-service', -60),
    'user token signed with another ES256 key': es256(userClaims(userId), otherKey),
    'alg none user token': unsigned(userClaims(userId)),
    'alg NONE service token': unsigned(serviceClaims(), 'NONE'),
    'user-minted service token (guessed secret)': hs256(serviceClaims(), 'secret'),
    'user-minted service token (HS256 keyed with the public key)': hs256(serviceClaims(), keys.publicKey),
    "user's own token with its payload edited to a service": `${head}.${b64(serviceClaims())}.${signature}`,
    'service claims in an ES256 token of another key': es256(serviceClaims(), otherKey),
    'user claims in an HS256 token (real service secret)': hs256(userClaims(userId), keys.serviceSecret),
  };
}
