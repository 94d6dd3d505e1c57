import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserStore } from '../src/data/userStore.ts';
import { buildApp, newUser } from './helpers.ts';

let store: UserStore | undefined;
afterEach(async () => store?.close());

/** A login attempt as relayed by a reverse proxy for the client at `address`. */
const loginFrom = (app: Parameters<typeof request>[0], address: string, body: object) =>
  request(app).post('/api/login').set('x-forwarded-for', address).send(body);

const wrong = (email: string) => ({ email, password: 'Wrong-pass-42' });

describe('rate limits behind a reverse proxy', () => {
  it('with TRUST_PROXY=1, two clients the proxy names in X-Forwarded-For get separate login buckets', async () => {
    const built = await buildApp({ USER_LOGIN_RATE_LIMIT: 1, TRUST_PROXY: '1' });
    store = built.store;

    const first = await loginFrom(built.app, '203.0.113.7', wrong('a@example.com'));
    const second = await loginFrom(built.app, '198.51.100.9', wrong('b@example.com'));
    const firstAgain = await loginFrom(built.app, '203.0.113.7', wrong('c@example.com'));

    expect([first.status, second.status, firstAgain.status]).toEqual([401, 401, 429]);
  });

  it('without TRUST_PROXY, X-Forwarded-For is not believed: every client behind the proxy shares one bucket', async () => {
    const built = await buildApp({ USER_LOGIN_RATE_LIMIT: 1 });
    store = built.store;

    const first = await loginFrom(built.app, '203.0.113.7', wrong('a@example.com'));
    const second = await loginFrom(built.app, '198.51.100.9', wrong('b@example.com'));

    expect([first.status, second.status]).toEqual([401, 429]);
  });
});

describe('failed logins per account', () => {
  it('failed logins for one account from many addresses get 429 with Retry-After after USER_LOGIN_ACCOUNT_FAILURE_LIMIT, even with the right password next', async () => {
    const built = await buildApp({ TRUST_PROXY: '1', USER_LOGIN_ACCOUNT_FAILURE_LIMIT: 3 });
    store = built.store;
    const victim = newUser();
    expect((await request(built.app).post('/api/user').send(victim)).status).toBe(201);

    const statuses = [];
    for (let i = 1; i <= 3; i++)
      statuses.push((await loginFrom(built.app, `203.0.113.${i}`, wrong(victim.email))).status);
    const blocked = await loginFrom(built.app, '203.0.113.99', {
      email: victim.email,
      password: victim.password,
    });

    expect(statuses).toEqual([401, 401, 401]);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another account is not affected.
    const other = newUser();
    await request(built.app).post('/api/user').send(other);
    expect(
      (await loginFrom(built.app, '203.0.113.1', { email: other.email, password: other.password })).status,
    ).toBe(200);
  });

  it('an email no account has is throttled exactly like a real one, so the 429 tells nothing about which accounts exist', async () => {
    const built = await buildApp({ TRUST_PROXY: '1', USER_LOGIN_ACCOUNT_FAILURE_LIMIT: 2 });
    store = built.store;
    const real = newUser();
    await request(built.app).post('/api/user').send(real);

    const answers = async (email: string) => {
      const out = [];
      for (let i = 1; i <= 3; i++) {
        const res = await loginFrom(built.app, `198.51.100.${i}`, wrong(email));
        out.push([res.status, res.body.code, res.body.detail]);
      }
      return out;
    };

    expect(await answers(real.email.toUpperCase())).toEqual(await answers('nobody-here@example.com'));
  });
});
