import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, serviceToken } from '@shop/shared/testing';
import type { UserStore } from '../src/data/userStore.ts';
import { buildApp, newUser, register } from './helpers.ts';

let store: UserStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function setup() {
  const built = await buildApp();
  store = built.store;
  return built;
}

type App = Awaited<ReturnType<typeof setup>>['app'];

async function login(app: App, credentials: Record<string, string>) {
  const res = await request(app).post('/api/login').send(credentials);
  expect(res.status).toBe(200);
  return res.body as { token: string; refresh_token: string };
}

const refresh = (app: App, refreshToken: string) =>
  request(app).post('/api/session/refresh').send({ refresh_token: refreshToken });

describe('sessions: login, refresh, logout', () => {
  it('when a user logs in by username (any case), 200 brings tokens; giving both or neither of email and username is a 400', async () => {
    const { app } = await setup();
    const user = await register(app);
    const byName = await request(app)
      .post('/api/login')
      .send({ username: user.username.toUpperCase(), password: user.password });
    expect(byName.status).toBe(200);
    expect(byName.body.user.id).toBe(user.id);
    const wrong = await request(app)
      .post('/api/login')
      .send({ username: user.username, password: 'Wrong-pass-99' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('invalid_credentials');
    const both = await request(app)
      .post('/api/login')
      .send({ username: user.username, email: user.email, password: user.password });
    const neither = await request(app).post('/api/login').send({ password: user.password });
    expect([both.status, neither.status]).toEqual([400, 400]);
  });

  it('when a refresh token is used, new tokens come back and the old one is spent; presenting it again ends the whole session', async () => {
    const { app } = await setup();
    const user = await register(app);
    const first = await login(app, { email: user.email, password: user.password });

    const rotated = await refresh(app, first.refresh_token);
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).not.toBe(first.refresh_token);
    expect(rotated.headers['cache-control']).toBe('no-store');

    const reused = await refresh(app, first.refresh_token);
    expect(reused.status).toBe(401);
    expect(reused.body.code).toBe('refresh_token_reused');
    // The thief's copy is gone, and so is the newest token of the family.
    const newest = await refresh(app, rotated.body.refresh_token);
    expect(newest.status).toBe(401);
    expect(newest.body.code).toBe('invalid_refresh_token');
    const sensitive = await request(app)
      .post('/api/user/me/password')
      .set(bearer(rotated.body.token))
      .send({ current_password: user.password, new_password: 'Another-horse-77' });
    expect(sensitive.status).toBe(401);
    expect(sensitive.body.code).toBe('session_ended');
  });

  it('when an unknown refresh token is presented, 401 invalid_refresh_token', async () => {
    const { app } = await setup();
    const res = await refresh(app, 'x'.repeat(43));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_refresh_token');
  });

  it('when a user logs out, that session refreshes no more while another session of theirs still does', async () => {
    const { app } = await setup();
    const user = await register(app);
    const phone = await login(app, { email: user.email, password: user.password });
    const laptop = await login(app, { email: user.email, password: user.password });
    expect((await request(app).post('/api/logout').set(bearer(phone.token))).status).toBe(204);
    expect((await refresh(app, phone.refresh_token)).body.code).toBe('invalid_refresh_token');
    expect((await refresh(app, laptop.refresh_token)).status).toBe(200);
  });

  it('when a user logs out everywhere, no session of theirs refreshes any more', async () => {
    const { app } = await setup();
    const user = await register(app);
    const phone = await login(app, { email: user.email, password: user.password });
    const laptop = await login(app, { email: user.email, password: user.password });
    expect((await request(app).post('/api/logout/all').set(bearer(phone.token))).status).toBe(204);
    expect((await refresh(app, phone.refresh_token)).status).toBe(401);
    expect((await refresh(app, laptop.refresh_token)).status).toBe(401);
  });
});

describe('password change', () => {
  it('when the current password is right, the password changes, every other session ends and the caller stays signed in', async () => {
    const { app } = await setup();
    const user = await register(app);
    const other = await login(app, { email: user.email, password: user.password });
    const mine = await login(app, { email: user.email, password: user.password });
    const newPassword = 'Another-horse-77';

    const res = await request(app)
      .post('/api/user/me/password')
      .set(bearer(mine.token))
      .send({ current_password: user.password, new_password: newPassword });
    expect(res.status).toBe(204);

    expect((await refresh(app, other.refresh_token)).status).toBe(401);
    const otherSensitive = await request(app)
      .post('/api/user/me/password')
      .set(bearer(other.token))
      .send({ current_password: newPassword, new_password: 'Third-horse-88x' });
    expect(otherSensitive.body.code).toBe('session_ended');
    expect((await refresh(app, mine.refresh_token)).status).toBe(200);
    expect(
      (await request(app).post('/api/login').send({ email: user.email, password: user.password })).status,
    ).toBe(401);
    expect(
      (await request(app).post('/api/login').send({ email: user.email, password: newPassword })).status,
    ).toBe(200);
  });

  it('when the current password is wrong, 403 and nothing changes; a weak new one is a 400 naming new_password', async () => {
    const { app } = await setup();
    const user = await register(app);
    const mine = await login(app, { email: user.email, password: user.password });
    const wrong = await request(app)
      .post('/api/user/me/password')
      .set(bearer(mine.token))
      .send({ current_password: 'Not-the-one-11', new_password: 'Another-horse-77' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('invalid_credentials');
    const weak = await request(app)
      .post('/api/user/me/password')
      .set(bearer(mine.token))
      .send({ current_password: user.password, new_password: 'qwerty12345' });
    expect(weak.status).toBe(400);
    expect(weak.body.errors[0].field).toBe('new_password');
    expect(
      (await request(app).post('/api/login').send({ email: user.email, password: user.password })).status,
    ).toBe(200);
  });
});

describe('profile', () => {
  it('when a user changes their username, 200 shows it and login by the new name works; a taken one is a 409', async () => {
    const { app } = await setup();
    const user = await register(app);
    const other = await register(app);
    const { token } = await login(app, { email: user.email, password: user.password });
    const renamed = await request(app)
      .patch('/api/user/me')
      .set(bearer(token))
      .send({ username: `${user.username}-new` });
    expect(renamed.status).toBe(200);
    expect(renamed.body.username).toBe(`${user.username}-new`);
    expect(
      (
        await request(app)
          .post('/api/login')
          .send({ username: `${user.username}-new`, password: user.password })
      ).status,
    ).toBe(200);
    const taken = await request(app)
      .patch('/api/user/me')
      .set(bearer(token))
      .send({ username: other.username });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('username_taken');
  });

  it('when a user asks to change the address, the password is required and a taken address is a 409; the address stays until verified', async () => {
    const { app } = await setup();
    const user = await register(app);
    const other = await register(app);
    const { token } = await login(app, { email: user.email, password: user.password });
    const wrong = await request(app)
      .post('/api/user/me/email')
      .set(bearer(token))
      .send({ new_email: 'new@example.com', password: 'Nope-nope-123' });
    expect(wrong.status).toBe(403);
    const taken = await request(app)
      .post('/api/user/me/email')
      .set(bearer(token))
      .send({ new_email: other.email, password: user.password });
    expect(taken.body.code).toBe('email_taken');
    const asked = await request(app)
      .post('/api/user/me/email')
      .set(bearer(token))
      .send({ new_email: 'New.Address@example.com', password: user.password });
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ pending_email: 'new.address@example.com' });
    expect((await request(app).get('/api/user/me').set(bearer(token))).body.email).toBe(user.email);
  });

  it('when a user deletes the account with the password, its sessions end, its name and address are free again and it is gone', async () => {
    const { app } = await setup();
    const user = await register(app);
    const session = await login(app, { email: user.email, password: user.password });
    const wrong = await request(app)
      .delete('/api/user/me')
      .set(bearer(session.token))
      .send({ password: 'Nope-nope-123' });
    expect(wrong.status).toBe(403);

    const res = await request(app)
      .delete('/api/user/me')
      .set(bearer(session.token))
      .send({ password: user.password });
    expect(res.status).toBe(204);
    expect((await refresh(app, session.refresh_token)).status).toBe(401);
    expect(
      (await request(app).post('/api/login').send({ email: user.email, password: user.password })).status,
    ).toBe(401);
    const asService = bearer(serviceToken('notification-service', 'user-service'));
    expect((await request(app).get(`/api/user/${user.id}`).set(asService)).status).toBe(404);
    const again = await request(app)
      .post('/api/user')
      .send(newUser({ username: user.username, email: user.email }));
    expect(again.status).toBe(201);
  });
});
