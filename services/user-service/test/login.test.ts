import { randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyToken } from '@shop/shared';
import { testAuthKeys } from '@shop/shared/testing';
import type { UserStore } from '../src/data/userStore.ts';
import { buildApp, newUser, register, type TestVariables } from './helpers.ts';

let store: UserStore | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await store?.close();
});

async function setup(variables: TestVariables = {}) {
  const built = await buildApp(variables);
  store = built.store;
  return built;
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { iat: number; exp: number };

describe('POST /api/login', () => {
  it('when the email and password match, 200 brings a bearer token for that user', async () => {
    const { app } = await setup();
    const user = await register(app);
    const res = await request(app).post('/api/login').send({ email: user.email, password: user.password });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.stringMatching(/^[\w-]{43}$/),
      refresh_expires_in: 2_592_000,
      user: user.res.body,
    });
    expect(verifyToken(testAuthKeys('order-service'), res.body.token)).toEqual({
      kind: 'user',
      userId: user.id,
      sessionId: expect.any(String),
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('when the email is typed with capitals, the login still succeeds', async () => {
    const { app } = await setup();
    const user = await register(app);
    const res = await request(app)
      .post('/api/login')
      .send({ email: user.email.toUpperCase(), password: user.password });
    expect(res.status).toBe(200);
  });

  it('when JWT_TTL_SECONDS is set, the token lives that long and expires_in says so', async () => {
    const { app } = await setup({ JWT_TTL_SECONDS: 120 });
    const user = await register(app);
    const res = await request(app).post('/api/login').send({ email: user.email, password: user.password });
    const claims = claimsOf(res.body.token);
    expect(res.body.expires_in).toBe(120);
    expect(claims.exp - claims.iat).toBe(120);
  });

  it('when the password is wrong or the email unknown, both get the same 401 body', async () => {
    const { app } = await setup();
    const user = await register(app);
    const wrong = await request(app)
      .post('/api/login')
      .send({ email: user.email, password: 'Wrong-pass-42' });
    const unknown = await request(app)
      .post('/api/login')
      .send({ email: 'nobody@example.com', password: user.password });
    const withoutId = ({ request_id: _id, ...rest }: Record<string, unknown>) => rest;
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.code).toBe('invalid_credentials');
    expect(withoutId(unknown.body)).toEqual(withoutId(wrong.body));
    expect(unknown.headers['www-authenticate']).toBe(wrong.headers['www-authenticate']);
  });

  it('when the email is unknown, bcrypt still compares the password against a hash of the configured cost', async () => {
    const { app } = await setup();
    const compare = vi.spyOn(bcrypt, 'compare');
    const res = await request(app)
      .post('/api/login')
      .send({ email: 'nobody@example.com', password: 'Some-pass-42' });
    expect(res.status).toBe(401);
    expect(compare).toHaveBeenCalledTimes(1);
    expect(compare.mock.calls[0]?.[1]).toMatch(/^\$2b\$04\$/);
  });

  it('when the password is the right one plus extra characters past 72 bytes, 401 (no bcrypt truncation)', async () => {
    const { app } = await setup();
    const password = `Aa1-${randomBytes(51).toString('base64')}`; // exactly 72 bytes: the most bcrypt reads
    const user = await register(app, newUser({ password }));
    const res = await request(app)
      .post('/api/login')
      .send({ email: user.email, password: `${password}-and-more` });
    expect(res.status).toBe(401);
  });

  it('when fields are missing or malformed, 400 names them', async () => {
    const { app } = await setup();
    const res = await request(app).post('/api/login').send({ email: 'not-an-email' });
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['email', 'password']);
  });
});
