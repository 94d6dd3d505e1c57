import { generateKeyPairSync, hkdfSync, createPrivateKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serviceTokenProvider, signServiceToken, signUserToken } from '../src/index.ts';
import { checkedServiceKey, fingerprintSecretOf, publicKeyOf } from '../src/auth/serviceKeys.ts';
import { bearer, testKeys } from '../src/testing/index.ts';
import { demoApp } from './support/demoApi.ts';

// What the token code puts into a token and what it demands back, claim by claim: the scenario
// tests use the helpers on both sides, so a claim changed on both sides would pass them unnoticed.
const userId = '0b7d3a52-53a5-4b0b-9a64-3f3ab1b4f1de';
const { app } = demoApp();
const whoami = (token: string) => request(app).get('/whoami').set(bearer(token));
const payment = testKeys.services['payment-service'];

const userClaims = (overrides: jwt.JwtPayload = {}): jwt.JwtPayload =>
  JSON.parse(
    JSON.stringify({
      typ: 'user',
      sub: userId,
      aud: 'shop-api',
      iss: 'shop-user-service',
      exp: Math.floor(Date.now() / 1000) + 300,
      ...overrides,
    }),
  );
const signedUserToken = (claims: jwt.JwtPayload) =>
  jwt.sign(claims, testKeys.privateKey, { algorithm: 'ES256' });

describe('user tokens, claim by claim', () => {
  it('a user token carries typ user, the user as sub, audience shop-api and issuer shop-user-service, without a key id', () => {
    const token = signUserToken(testKeys.privateKey, userId, 600);
    const { header, payload } = jwt.decode(token, { complete: true }) as jwt.Jwt;
    expect(header.alg).toBe('ES256');
    expect(header.kid).toBeUndefined();
    expect(payload).toMatchObject({ typ: 'user', sub: userId, aud: 'shop-api', iss: 'shop-user-service' });
  });

  it('a user token made by hand with exactly those claims is accepted as that user', async () => {
    const res = await whoami(signedUserToken(userClaims()));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'user', userId });
  });

  it.each([
    ['aud is another API', userClaims({ aud: 'shop-admin' })],
    ['iss is another issuer', userClaims({ iss: 'someone-else' })],
    ['sub is missing', userClaims({ sub: undefined })],
    ['typ is missing', userClaims({ typ: undefined })],
  ])('when a user token signed with the user-token key has %s, 401 invalid_token', async (_name, claims) => {
    const res = await whoami(signedUserToken(claims));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('when a user token has expired, the problem says so: 401 token_expired, "The token has expired."', async () => {
    const res = await whoami(signedUserToken(userClaims({ exp: Math.floor(Date.now() / 1000) - 10 })));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'token_expired', detail: 'The token has expired.' });
  });

  it.each([
    ['three dotted parts that are not JSON', 'abc.def.ghi'],
    [
      'a JWT whose payload is not JSON',
      `${b64({ alg: 'ES256' })}.${Buffer.from('hello').toString('base64url')}.x`,
    ],
  ])('when the bearer token is %s, 401 invalid_token "The token is malformed."', async (_name, token) => {
    const res = await whoami(token);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'invalid_token', detail: 'The token is malformed.' });
  });
});

describe('service tokens, claim by claim', () => {
  it("a service token names its caller in kid, iss and sub, carries typ service and the target's audience", () => {
    const token = signServiceToken(payment.privateKey, 'payment-service', 'demo', 120);
    const { header, payload } = jwt.decode(token, { complete: true }) as jwt.Jwt;
    expect(header).toMatchObject({ alg: 'ES256', kid: 'payment-service' });
    expect(payload).toMatchObject({
      typ: 'service',
      iss: 'payment-service',
      sub: 'payment-service',
      aud: 'demo',
    });
    const { iat, exp } = payload as jwt.JwtPayload;
    expect(exp! - iat!).toBe(120);
  });

  it('a token from signServiceToken is accepted by the service it names as audience, as that caller', async () => {
    const res = await whoami(signServiceToken(payment.privateKey, 'payment-service', 'demo'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'service', service: 'payment-service' });
  });
});

describe('serviceTokenProvider renews its token a minute before expiry', () => {
  afterEach(() => vi.useRealTimers());

  it('within ttl minus 60 s the same token is given out; at exactly that moment a new one is minted', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date('2026-01-01T00:00:00Z').getTime();
    vi.setSystemTime(start);
    const next = serviceTokenProvider(payment.privateKey, 'payment-service', 'demo', 120);
    const first = next();
    const claims = jwt.decode(first) as jwt.JwtPayload;
    expect(claims).toMatchObject({ aud: 'demo', iss: 'payment-service', exp: start / 1000 + 120 });

    vi.setSystemTime(start + 59_999);
    expect(next()).toBe(first);

    vi.setSystemTime(start + 60_000);
    const renewed = next();
    expect(renewed).not.toBe(first);
    expect((jwt.decode(renewed) as jwt.JwtPayload).exp).toBe(start / 1000 + 60 + 120);

    vi.setSystemTime(start + 61_000);
    expect(next()).toBe(renewed);
  });
});

describe('service keys', () => {
  it('the public half of a signing key verifies the tokens that key signs', () => {
    const token = signServiceToken(payment.privateKey, 'payment-service', 'demo');
    const claims = jwt.verify(token, publicKeyOf(payment.privateKey), { algorithms: ['ES256'] });
    expect(claims).toMatchObject({ sub: 'payment-service' });
  });

  it('when a public key is configured where the signing (private) key belongs, start-up is refused', () => {
    expect(() => checkedServiceKey(payment.publicKey, 'SERVICE_SIGNING_KEY', 'private')).toThrow(
      'Invalid configuration: SERVICE_SIGNING_KEY must be a PEM private key (value hidden)',
    );
  });

  it('when a configured public key is not a PEM at all, one line names the variable and hides the value', () => {
    expect(() => checkedServiceKey('not a pem', 'PAYMENT_SERVICE_PUBLIC_KEY', 'public')).toThrow(
      'Invalid configuration: PAYMENT_SERVICE_PUBLIC_KEY must be a PEM public key (value hidden)',
    );
  });

  it('an Ed25519 key is refused naming its type', () => {
    const { publicKey } = generateKeyPairSync('ed25519', {
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    expect(() => checkedServiceKey(publicKey, 'PAYMENT_SERVICE_PUBLIC_KEY', 'public')).toThrow(
      '(got a key of type ed25519)',
    );
  });

  it('the fingerprint secret is HKDF-SHA256 over the private scalar with the label "shop idempotency fingerprint v1"', () => {
    // Pinned: a change of derivation changes every stored fingerprint, and retries across it answer 422.
    const scalar = createPrivateKey(payment.privateKey).export({ format: 'jwk' }).d!;
    const expected = hkdfSync(
      'sha256',
      Buffer.from(scalar, 'base64url'),
      Buffer.alloc(0),
      'shop idempotency fingerprint v1',
      32,
    );
    expect(fingerprintSecretOf(payment.privateKey)).toBe(Buffer.from(expected).toString('base64url'));
  });
});

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
