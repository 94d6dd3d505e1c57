import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, serviceToken, userToken } from '@shop/shared/testing';
import type { UserStore } from '../src/data/userStore.ts';
import { buildApp, register } from './helpers.ts';

let store: UserStore | undefined;
afterEach(async () => store?.close());

async function setup() {
  const built = await buildApp();
  store = built.store;
  const user = await register(built.app);
  const path = `/api/user/${user.id}/preferences`;
  return { ...built, user, path, asUser: bearer(userToken(user.id)) };
}

describe('GET /api/user/:id/preferences', () => {
  it('when nothing was chosen yet, every kind is on for email and updated_at is null', async () => {
    const { app, user, path, asUser } = await setup();
    const res = await request(app).get(path).set(asUser);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user_id: user.id,
      order_updates: { email: true },
      welcome: { email: true },
      updated_at: null,
    });
  });

  it('when the notification-service asks (before sending), 200', async () => {
    const { app, path } = await setup();
    const res = await request(app)
      .get(path)
      .set(bearer(serviceToken('notification-service', 'user-service')));
    expect(res.status).toBe(200);
    expect(res.body.order_updates).toEqual({ email: true });
  });

  it('when another user asks, 403 whether or not the id exists', async () => {
    const { app, path } = await setup();
    const other = bearer(userToken(randomUUID()));
    expect((await request(app).get(path).set(other)).status).toBe(403);
    expect((await request(app).get(`/api/user/${randomUUID()}/preferences`).set(other)).status).toBe(403);
  });

  it('when another service asks, 401: only the notification-service reads preferences, so only its key is held', async () => {
    const { app, path } = await setup();
    const res = await request(app)
      .get(path)
      .set(bearer(serviceToken('payment-service', 'user-service')));
    expect(res.status).toBe(401);
    expect(res.body.order_updates).toBeUndefined();
  });

  it('when the notification-service asks about an unknown user, 404', async () => {
    const { app } = await setup();
    const res = await request(app)
      .get(`/api/user/${randomUUID()}/preferences`)
      .set(bearer(serviceToken('notification-service', 'user-service')));
    expect(res.status).toBe(404);
  });
});

describe('GET /api/user/:id/recipient', () => {
  const asNotifications = bearer(serviceToken('notification-service', 'user-service'));

  it('when the notification-service asks, 200 with the same user and preferences the two separate endpoints answer', async () => {
    const { app, user, path, asUser } = await setup();
    await request(app)
      .put(path)
      .set(asUser)
      .send({ welcome: { email: false } });

    const res = await request(app).get(`/api/user/${user.id}/recipient`).set(asNotifications);

    expect(res.status).toBe(200);
    const alone = await request(app).get(`/api/user/${user.id}`).set(asNotifications);
    const preferences = await request(app).get(path).set(asNotifications);
    expect(res.body).toEqual({ user: alone.body, preferences: preferences.body });
    expect(res.body.preferences.welcome).toEqual({ email: false });
    expect(res.body.user).not.toHaveProperty('password_hash');
  });

  it('when the notification-service asks about an unknown user, 404 user_not_found', async () => {
    const { app } = await setup();
    const res = await request(app).get(`/api/user/${randomUUID()}/recipient`).set(asNotifications);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('user_not_found');
  });

  it('when the user themselves asks, 403 and no data: only the notification-service reads it', async () => {
    const { app, user, asUser } = await setup();
    const res = await request(app).get(`/api/user/${user.id}/recipient`).set(asUser);
    expect(res.status).toBe(403);
    expect(res.text).not.toContain(user.email);
  });

  it('when another service asks, 401 and no data', async () => {
    const { app, user } = await setup();
    const res = await request(app)
      .get(`/api/user/${user.id}/recipient`)
      .set(bearer(serviceToken('payment-service', 'user-service')));
    expect(res.status).toBe(401);
    expect(res.text).not.toContain(user.email);
  });
});

describe('PUT /api/user/:id/preferences', () => {
  it('when one setting is turned off, 200 brings the full preferences with only that one changed', async () => {
    const { app, user, path, asUser } = await setup();
    const res = await request(app)
      .put(path)
      .set(asUser)
      .send({ order_updates: { email: false } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user_id: user.id,
      order_updates: { email: false },
      welcome: { email: true },
      updated_at: expect.any(String),
    });
    expect((await request(app).get(path).set(asUser)).body).toEqual(res.body);
  });

  it('when a second PUT names another kind, the first change stays (merge, not replace)', async () => {
    const { app, path, asUser } = await setup();
    await request(app)
      .put(path)
      .set(asUser)
      .send({ order_updates: { email: false } });
    const res = await request(app)
      .put(path)
      .set(asUser)
      .send({ welcome: { email: false } });
    expect(res.body.order_updates).toEqual({ email: false });
    expect(res.body.welcome).toEqual({ email: false });
  });

  it('when a setting is turned back on, it reads on again', async () => {
    const { app, path, asUser } = await setup();
    await request(app)
      .put(path)
      .set(asUser)
      .send({ welcome: { email: false } });
    const res = await request(app)
      .put(path)
      .set(asUser)
      .send({ welcome: { email: true } });
    expect(res.body.welcome).toEqual({ email: true });
  });

  it('when the body is empty, 200 brings the preferences unchanged', async () => {
    const { app, path, asUser } = await setup();
    const res = await request(app).put(path).set(asUser).send({});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ order_updates: { email: true }, updated_at: null });
  });

  it('when a service (even the notification-service) tries to change them, 403 and nothing changes', async () => {
    const { app, path, asUser } = await setup();
    const res = await request(app)
      .put(path)
      .set(bearer(serviceToken('notification-service', 'user-service')))
      .send({ welcome: { email: false } });
    expect(res.status).toBe(403);
    expect((await request(app).get(path).set(asUser)).body).toMatchObject({
      welcome: { email: true },
      updated_at: null,
    });
  });

  it('when another user tries to change them, 403 and nothing changes', async () => {
    const { app, path, asUser } = await setup();
    const res = await request(app)
      .put(path)
      .set(bearer(userToken(randomUUID())))
      .send({ order_updates: { email: false } });
    expect(res.status).toBe(403);
    expect((await request(app).get(path).set(asUser)).body.order_updates).toEqual({ email: true });
  });

  it('when the token is valid but its user no longer exists, 404', async () => {
    const { app } = await setup();
    const gone = randomUUID();
    const res = await request(app)
      .put(`/api/user/${gone}/preferences`)
      .set(bearer(userToken(gone)))
      .send({ welcome: { email: false } });
    expect(res.status).toBe(404);
  });

  const invalid: [string, unknown, string][] = [
    ['a setting is not a boolean', { order_updates: { email: 'no' } }, 'order_updates.email'],
    ['a channel does not exist yet', { order_updates: { sms: true } }, 'order_updates.sms'],
    ['a kind does not exist', { newsletter: { email: false } }, 'newsletter'],
    ['a kind is not an object', { welcome: false }, 'welcome'],
  ];
  it.each(invalid)('when %s, 400 names the field and nothing changes', async (_situation, body, field) => {
    const { app, path, asUser } = await setup();
    const res = await request(app)
      .put(path)
      .set(asUser)
      .send(body as object);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    expect((await request(app).get(path).set(asUser)).body.updated_at).toBeNull();
  });

  it('when no token is sent, 401', async () => {
    const { app, path } = await setup();
    expect(
      (
        await request(app)
          .put(path)
          .send({ welcome: { email: false } })
      ).status,
    ).toBe(401);
  });
});
