import jwt from 'jsonwebtoken';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { generateDevKeys, signServiceToken, signUserToken } from '../src/index.ts';
import { bearer, testKeys } from '../src/testing/index.ts';
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
      JSON.stringify({ typ: 'service', sub: 'payment-service', aud: 'shop-internal' }),
    ).toString('base64url');
    const res = await call(`${header}.${payload}.`);
    expect(res.status).toBe(401);
  });

  it('when a service token is made with the public key as HMAC secret (alg confusion), 401', async () => {
    const forged = jwt.sign({ typ: 'service' }, testKeys.publicKey, {
      algorithm: 'HS256',
      subject: 'x',
      audience: 'shop-internal',
    });
    expect((await call(forged)).status).toBe(401);
  });

  it('when a service token is signed with a guessed secret, 401', async () => {
    const res = await call(signServiceToken('a-guessed-secret-that-is-long-enough!!', 'payment-service'));
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
