import jwt from 'jsonwebtoken';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { generateDevKeys, generateKeyPair, signServiceToken, signUserToken } from '../src/index.ts';
import { bearer, serviceToken, testKeys } from '../src/testing/index.ts';
import { demoApp } from './support/demoApi.ts';

const userId = '0b7d3a52-53a5-4b0b-9a64-3f3ab1b4f1de';
const { app } = demoApp();
const call = (token: string) => request(app).get('/whoami').set(bearer(token));

describe('token verification refuses forged and stale tokens', () => {
  it('when a user token has expired, 401 token_expired', async () => {
    const token = jwt.sign({ typ: 'user' }, testKeys.privateKey, {
      algorithm: 'ES256',
      subject: userId,
      audience: 'shop-api',
      issuer: 'shop-user-service',
      expiresIn: -10,
    });
    const res = await call(token);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('token_expired');
  });

  it('when a user token is signed by another key, 401 invalid_token', async () => {
    const other = generateDevKeys();
    const res = await call(signUserToken(other.privateKey, userId, 600));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('when a token says alg none, 401', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ typ: 'service', iss: 'payment-service', sub: 'payment-service', aud: 'demo' }),
    ).toString('base64url');
    const res = await call(`${header}.${payload}.`);
    expect(res.status).toBe(401);
  });

  it('when a service token is made with a public key as HMAC secret (alg confusion), 401', async () => {
    for (const publicKey of [testKeys.publicKey, testKeys.services['payment-service'].publicKey]) {
      const forged = jwt.sign({ typ: 'service' }, publicKey, {
        algorithm: 'HS256',
        keyid: 'payment-service',
        issuer: 'payment-service',
        subject: 'payment-service',
        audience: 'demo',
      });
      expect((await call(forged)).status).toBe(401);
    }
  });

  it('when a service token is signed with a key of nobody, 401', async () => {
    const res = await call(signServiceToken(generateKeyPair().privateKey, 'payment-service', 'demo'));
    expect(res.status).toBe(401);
  });

  it('when a user-kind token claims to be a service, it is still a user', async () => {
    const token = jwt.sign({ typ: 'service' }, testKeys.privateKey, {
      algorithm: 'ES256',
      subject: 'payment-service',
      audience: 'shop-api',
      issuer: 'shop-user-service',
      expiresIn: 60,
    });
    expect((await call(token)).status).toBe(401);
  });

  it('when the Authorization header is not Bearer, 401', async () => {
    const res = await request(app).get('/whoami').set('Authorization', 'Basic dXNlcjpwYXNz');
    expect(res.status).toBe(401);
  });
});

/** A token with the payment-service's key id, signed with `signer`'s key; claims as given. */
function serviceTokenSignedBy(
  signer: 'payment-service' | 'notification-service',
  claims: jwt.JwtPayload,
  kid = 'payment-service',
) {
  return jwt.sign(claims, testKeys.services[signer].privateKey, { algorithm: 'ES256', keyid: kid });
}

const inFiveMinutes = () => Math.floor(Date.now() / 1000) + 300;
const paymentClaims = (overrides: jwt.JwtPayload = {}): jwt.JwtPayload => ({
  typ: 'service',
  iss: 'payment-service',
  sub: 'payment-service',
  aud: 'demo',
  exp: inFiveMinutes(),
  ...overrides,
});

describe('a service token is accepted only from the service that signed it, only where it was sent', () => {
  it("when the payment-service's own token arrives with this service as audience, the caller is the payment-service", async () => {
    const res = await call(serviceToken('payment-service', 'demo'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'service', service: 'payment-service' });
  });

  it("when a token claims to be the payment-service but the notification-service's key signed it, 401 invalid_token", async () => {
    for (const kid of ['payment-service', 'notification-service']) {
      const res = await call(serviceTokenSignedBy('notification-service', paymentClaims(), kid));
      expect(res.status, `kid ${kid}`).toBe(401);
      expect(res.body.code).toBe('invalid_token');
    }
  });

  it('when a token was minted for another service (audience order-service), 401 invalid_token', async () => {
    const res = await call(serviceToken('payment-service', 'order-service'));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('when a token names a service nobody configured (a made-up name, signed with its own key), 401 invalid_token', async () => {
    const claims = paymentClaims({ iss: 'admin-service', sub: 'admin-service' });
    const token = jwt.sign(claims, generateKeyPair().privateKey, {
      algorithm: 'ES256',
      keyid: 'admin-service',
    });
    const res = await call(token);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it.each([
    ['typ is user', paymentClaims({ typ: 'user' })],
    ['typ is missing', paymentClaims({ typ: undefined })],
    ['sub is missing', paymentClaims({ sub: undefined })],
    ['sub names another service', paymentClaims({ sub: 'notification-service' })],
    ['iss names another service', paymentClaims({ iss: 'notification-service' })],
    ['iss is missing', paymentClaims({ iss: undefined })],
    ['aud is the old shared audience', paymentClaims({ aud: 'shop-internal' })],
  ])(
    "when the payment-service's own key signs a token whose %s, 401 invalid_token",
    async (_name, claims) => {
      const res = await call(serviceTokenSignedBy('payment-service', JSON.parse(JSON.stringify(claims))));
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_token');
    },
  );

  it('when a service token has expired, 401 token_expired', async () => {
    const res = await call(serviceToken('payment-service', 'demo', -10));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('token_expired');
  });

  it('when a service token has no key id, it is read as a user token and refused: 401 invalid_token', async () => {
    const token = jwt.sign(paymentClaims(), testKeys.services['payment-service'].privateKey, {
      algorithm: 'ES256',
    });
    const res = await call(token);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_token');
  });
});
