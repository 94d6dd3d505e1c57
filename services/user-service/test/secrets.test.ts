import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer } from '@shop/shared/testing';
import type { UserStore } from '../src/data/userStore.ts';
import { buildApp, newUser, waitFor } from './helpers.ts';

let store: UserStore | undefined;
afterEach(async () => store?.close());

describe('passwords never leave the service', () => {
  it('when a user registers, logs in, fails a login and reads themself, no response or log line holds the password or its hash', async () => {
    const built = await buildApp();
    store = built.store;
    const { app, lines } = built;
    const details = newUser({ password: 'Unique-Secret-9137' });
    const responses = [];

    responses.push(await request(app).post('/api/user').send(details));
    responses.push(await request(app).post('/api/user').send(details)); // 409 duplicate
    const login = await request(app)
      .post('/api/login')
      .send({ email: details.email, password: details.password });
    responses.push(login);
    responses.push(
      await request(app).post('/api/login').send({ email: details.email, password: 'Unique-Secret-9138' }),
    );
    responses.push(
      await request(app).post('/api/login').send({ email: 'x@example.com', password: details.password }),
    );
    responses.push(
      await request(app)
        .post('/api/user')
        .send({ ...newUser(), password: 'short' }),
    ); // 400
    responses.push(await request(app).get('/api/user/me').set(bearer(login.body.token)));
    await waitFor(() => lines.some((l) => l.includes('mail request failed')));

    const hash = (await built.store.findByEmail(details.email))?.password_hash ?? '';
    expect(hash).toMatch(/^\$2b\$/);
    expect(responses.map((r) => r.status)).toEqual([201, 409, 200, 401, 401, 400, 200]);
    expect(lines.length).toBeGreaterThanOrEqual(responses.length);
    const everything = [...lines, ...responses.map((r) => JSON.stringify(r.headers) + r.text)];
    for (const text of everything) {
      expect(text).not.toContain(details.password);
      expect(text).not.toContain('Unique-Secret-9138');
      expect(text).not.toContain(hash);
      expect(text).not.toContain(hash.slice(7)); // the salt+digest part, should a prefix be trimmed
      expect(text).not.toMatch(/"short"/);
    }
  });
});
