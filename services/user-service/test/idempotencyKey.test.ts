import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, userToken } from '@shop/shared/testing';
import type { UserStore } from '../src/data/userStore.ts';
import { buildApp, newUser, register } from './helpers.ts';

let store: UserStore | undefined;
let dir: string | undefined;
afterEach(async () => {
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function setup() {
  const built = await buildApp();
  store = built.store;
  return built;
}

describe('POST /api/user with an Idempotency-Key', () => {
  it('when a registration is retried with its key, the first answer is replayed instead of a 409 duplicate', async () => {
    const { app } = await setup();
    const details = newUser();
    const send = () => request(app).post('/api/user').set('Idempotency-Key', 'reg-1').send(details);
    const first = await send();
    const retry = await send();
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers.location).toBe(first.headers.location);
  });

  it('when the key comes with other details, 422 idempotency_key_reused and no second user', async () => {
    const { app } = await setup();
    const send = (details: object) =>
      request(app).post('/api/user').set('Idempotency-Key', 'reg-2').send(details);
    expect((await send(newUser())).status).toBe(201);
    const other = newUser();
    const res = await send(other);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('idempotency_key_reused');
    expect(
      (await request(app).post('/api/login').send({ email: other.email, password: other.password })).status,
    ).toBe(401);
  });

  it('when the service restarts on its SQLite file, a retried registration still gets the first answer', async () => {
    dir = mkdtempSync(join(tmpdir(), 'user-idempotency-'));
    const file = join(dir, 'users.sqlite');
    const details = newUser();
    const send = (app: Parameters<typeof request>[0]) =>
      request(app).post('/api/user').set('Idempotency-Key', 'reg-3').send(details);
    const before = await buildApp({ USER_DB_PATH: file });
    const first = await send(before.app);
    await before.store.close();
    const after = await buildApp({ USER_DB_PATH: file });
    store = after.store;
    const retry = await send(after.app);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });
});

describe('PUT /api/user/:id/preferences with an Idempotency-Key', () => {
  it('when the change is retried with its key, the first answer is replayed; another change is a 422', async () => {
    const { app } = await setup();
    const user = await register(app);
    const put = (body: object) =>
      request(app)
        .put(`/api/user/${user.id}/preferences`)
        .set(bearer(userToken(user.id)))
        .set('Idempotency-Key', 'prefs-1')
        .send(body);
    const first = await put({ order_updates: { email: false } });
    const retry = await put({ order_updates: { email: false } });
    const other = await put({ welcome: { email: false } });
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
  });
});
