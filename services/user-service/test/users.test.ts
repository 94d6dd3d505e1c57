import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDevKeys, generateKeyPair, signServiceToken, signUserToken } from '@shop/shared';
import { bearer, serviceToken, userToken } from '@shop/shared/testing';
import type { UserStore } from '../src/data/userStore.ts';
import { buildApp, register, unsignedToken } from './helpers.ts';

let store: UserStore | undefined;
afterEach(async () => store?.close());

async function setup() {
  const built = await buildApp();
  store = built.store;
  const user = await register(built.app);
  return { ...built, user };
}

describe('GET /api/user/:id', () => {
  it('when a user asks for their own id, 200 brings their details', async () => {
    const { app, user } = await setup();
    const res = await request(app)
      .get(`/api/user/${user.id}`)
      .set(bearer(userToken(user.id)));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(user.res.body);
  });

  it('when the notification-service asks, 200 brings the details (it reads emails this way)', async () => {
    const { app, user } = await setup();
    const res = await request(app)
      .get(`/api/user/${user.id}`)
      .set(bearer(serviceToken('notification-service', 'user-service')));
    expect(res.status).toBe(200);
    expect(res.body.email).toBe(user.email);
  });

  it("when a user asks for another user's id, 403, and the same 403 whether or not that id exists", async () => {
    const { app, user } = await setup();
    const other = await register(app);
    const token = bearer(userToken(other.id));
    const existing = await request(app).get(`/api/user/${user.id}`).set(token);
    const missing = await request(app).get(`/api/user/${randomUUID()}`).set(token);
    expect(existing.status).toBe(403);
    expect(missing.status).toBe(403);
    expect(missing.body.code).toBe(existing.body.code);
    expect(missing.body.detail).toBe(existing.body.detail);
  });

  it('when another service asks, 401 and no data: the user-service holds only the key of the notification-service, the one service that reads users', async () => {
    const { app, user } = await setup();
    const res = await request(app)
      .get(`/api/user/${user.id}`)
      .set(bearer(serviceToken('payment-service', 'user-service')));
    expect(res.status).toBe(401);
    expect(res.text).not.toContain(user.email);
  });

  it('when the notification-service asks for an id nobody has, 404 user_not_found', async () => {
    const { app } = await setup();
    const res = await request(app)
      .get(`/api/user/${randomUUID()}`)
      .set(bearer(serviceToken('notification-service', 'user-service')));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('user_not_found');
  });

  it('when the id is not a UUID, 400 names the id parameter', async () => {
    const { app } = await setup();
    const res = await request(app)
      .get('/api/user/12345')
      .set(bearer(serviceToken('notification-service', 'user-service')));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ in: 'params', field: 'id', message: 'must be a UUID' }]);
  });
});

describe('GET /api/user/me', () => {
  it("when a user asks, 200 brings the token owner's details", async () => {
    const { app, user } = await setup();
    const res = await request(app)
      .get('/api/user/me')
      .set(bearer(userToken(user.id)));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(user.id);
  });

  it('when a service asks, 403: a service is nobody', async () => {
    const { app } = await setup();
    const res = await request(app)
      .get('/api/user/me')
      .set(bearer(serviceToken('notification-service', 'user-service')));
    expect(res.status).toBe(403);
  });

  it('when the token is valid but its user no longer exists, 404', async () => {
    const { app } = await setup();
    const res = await request(app)
      .get('/api/user/me')
      .set(bearer(userToken(randomUUID())));
    expect(res.status).toBe(404);
  });
});

describe('user endpoints refuse bad credentials', () => {
  const forged: [string, (userId: string) => Record<string, string>, string][] = [
    ['no token is sent', () => ({}), 'unauthorized'],
    ['the header is not a bearer token', () => ({ Authorization: 'Basic dXNlcjpwYXNz' }), 'unauthorized'],
    [
      'the token is signed by another key',
      (id) => bearer(signUserToken(generateDevKeys().privateKey, id, 600)),
      'invalid_token',
    ],
    ['the token has expired', (id) => bearer(userToken(id, -30)), 'token_expired'],
    ['the token says alg none', (id) => bearer(unsignedToken(id)), 'invalid_token'],
    [
      "a service token is signed with a key that is not its caller's",
      () => bearer(signServiceToken(generateKeyPair().privateKey, 'notification-service', 'user-service')),
      'invalid_token',
    ],
  ];

  for (const path of [
    '/api/user/:id',
    '/api/user/me',
    '/api/user/:id/preferences',
    '/api/user/:id/recipient',
  ]) {
    it.each(forged)(`when %s, ${path} answers 401 and no data`, async (_situation, headers, code) => {
      const { app, user } = await setup();
      const res = await request(app).get(path.replace(':id', user.id)).set(headers(user.id));
      expect(res.status).toBe(401);
      expect(res.body.code).toBe(code);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.text).not.toContain(user.email);
    });
  }
});
