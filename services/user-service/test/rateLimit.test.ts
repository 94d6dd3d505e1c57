import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserStore } from '../src/data/userStore.ts';
import { buildApp, newUser } from './helpers.ts';

let store: UserStore | undefined;
afterEach(async () => store?.close());

const badLogin = { email: 'nobody@example.com', password: 'Wrong-pass-42' };

describe('rate limits', () => {
  it('when a client logs in more often than USER_LOGIN_RATE_LIMIT, 429 with Retry-After comes back', async () => {
    const built = await buildApp({ USER_LOGIN_RATE_LIMIT: 2 });
    store = built.store;
    const statuses = [];
    for (let i = 0; i < 2; i++)
      statuses.push((await request(built.app).post('/api/login').send(badLogin)).status);
    const limited = await request(built.app).post('/api/login').send(badLogin);
    expect(statuses).toEqual([401, 401]);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('when a client registers more often than USER_REGISTER_RATE_LIMIT, 429 and no user is created', async () => {
    const built = await buildApp({ USER_REGISTER_RATE_LIMIT: 1 });
    store = built.store;
    expect((await request(built.app).post('/api/user').send(newUser())).status).toBe(201);
    const blocked = newUser();
    const res = await request(built.app).post('/api/user').send(blocked);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(await built.store.findByEmail(blocked.email)).toBeUndefined();
  });

  it('when the login limit is exhausted, registration still has its own budget', async () => {
    const built = await buildApp({ USER_LOGIN_RATE_LIMIT: 1, USER_REGISTER_RATE_LIMIT: 5 });
    store = built.store;
    await request(built.app).post('/api/login').send(badLogin);
    expect((await request(built.app).post('/api/login').send(badLogin)).status).toBe(429);
    expect((await request(built.app).post('/api/user').send(newUser())).status).toBe(201);
  });

  it('when a limit is 0, that limiter is off', async () => {
    const built = await buildApp({ USER_LOGIN_RATE_LIMIT: 0 });
    store = built.store;
    const statuses = new Set<number>();
    for (let i = 0; i < 25; i++)
      statuses.add((await request(built.app).post('/api/login').send(badLogin)).status);
    expect([...statuses]).toEqual([401]);
  });
});
