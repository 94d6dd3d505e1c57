import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserStore } from '../src/data/userStore.ts';
import { buildApp, newUser, register } from './helpers.ts';

let store: UserStore | undefined;
afterEach(async () => store?.close());

async function setup() {
  const built = await buildApp();
  store = built.store;
  return built;
}

const fieldsOf = (body: { errors?: { in: string; field: string; message: string }[] }) =>
  (body.errors ?? []).map((e) => `${e.in}.${e.field}: ${e.message}`);

describe('POST /api/user registers a user', () => {
  it('when the details are valid, 201 comes back with the user and where to find it, never the password', async () => {
    const { app } = await setup();
    const details = newUser();
    const res = await request(app).post('/api/user').send(details);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      username: details.username,
      email: details.email,
      email_verified: false,
      created_at: expect.any(String),
    });
    expect(Number.isNaN(Date.parse(res.body.created_at))).toBe(false);
    expect(res.headers.location).toBe(`/api/user/${res.body.id}`);
    expect(res.text).not.toContain(details.password);
  });

  it('when the email has capitals and spaces around it, it is stored trimmed and lowercase', async () => {
    const { app, store: users } = await setup();
    const res = await request(app)
      .post('/api/user')
      .send(newUser({ email: '  Mixed.Case@Example.COM ' }));
    expect(res.status).toBe(201);
    expect(res.body.email).toBe('mixed.case@example.com');
    expect((await users.findById(res.body.id))?.email).toBe('mixed.case@example.com');
  });

  it('when the password is stored, it is a bcrypt hash of the configured cost, not the password', async () => {
    const { app, store: users } = await setup();
    const { id, password } = await register(app);
    const stored = await users.findById(id);
    expect(stored?.password_hash).toMatch(/^\$2b\$04\$.{53}$/);
    expect(stored?.password_hash).not.toContain(password);
  });
});

describe('POST /api/user refuses duplicates', () => {
  it('when the email is taken (in any case), 409 email_taken names the email field', async () => {
    const { app } = await setup();
    const first = await register(app);
    const res = await request(app)
      .post('/api/user')
      .send(newUser({ email: first.email.toUpperCase() }));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 409, code: 'email_taken' });
    expect(fieldsOf(res.body)).toEqual(['body.email: is already taken']);
  });

  it('when the username is taken (in any case), 409 username_taken names the username field', async () => {
    const { app } = await setup();
    const first = await register(app);
    const res = await request(app)
      .post('/api/user')
      .send(newUser({ username: first.username.toUpperCase() }));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('username_taken');
    expect(fieldsOf(res.body)).toEqual(['body.username: is already taken']);
  });

  it('when two registrations with the same email race, exactly one wins and the other gets 409', async () => {
    const { app } = await setup();
    const email = newUser().email;
    const results = await Promise.all(
      [newUser({ email }), newUser({ email })].map((d) => request(app).post('/api/user').send(d)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });
});

describe('POST /api/user validates every field', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['nothing is sent', {}, ['body.email: Required', 'body.password: Required', 'body.username: Required']],
    ['the email has no domain', { email: 'ann@' }, ['body.email: must be a valid email address']],
    ['the username is too short', { username: 'ab' }, ['body.username: must be at least 3 characters']],
    [
      'the username is too long',
      { username: 'a'.repeat(31) },
      ['body.username: must be at most 30 characters'],
    ],
    [
      'the username has a space',
      { username: 'ann smith' },
      ['body.username: may use letters, digits, ".", "_" and "-", starting with a letter or digit'],
    ],
    ['the password is too short', { password: 'Short-1' }, ['body.password: must be at least 10 characters']],
    [
      'the password has only letters',
      { password: 'onlylettershere' },
      ['body.password: must contain a letter and a digit or symbol'],
    ],
    [
      'the password is a common one',
      { password: 'Password123' },
      ['body.password: is too easy to guess: this is a commonly used password'],
    ],
    [
      'the password is over 72 bytes',
      { password: `a1${'é'.repeat(36)}` },
      ['body.password: must be at most 72 bytes'],
    ],
    ['an unknown field is sent', { role: 'admin' }, ['body.role: Unknown field']],
  ];

  it.each([
    ['password12', 'ann'],
    ['qwerty12345', 'ann'],
    ['aaaaaaaaa1', 'ann'],
    ['qzxwerbnmt2026!', 'qzxwerbnmt'], // strong on its own, but it is the username
  ])(
    'when the password is %s (for username %s), 400 says it is too easy to guess and names the password field',
    async (password, username) => {
      const { app } = await setup();
      const res = await request(app).post('/api/user').send(newUser({ username, password }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_error');
      expect(res.body.errors).toEqual([
        { in: 'body', field: 'password', message: expect.stringMatching(/^is too easy to guess/) },
      ]);
    },
  );

  it.each(cases)('when %s, 400 names exactly the bad fields', async (_situation, change, expected) => {
    const { app } = await setup();
    const body = Object.keys(change).length === 0 ? {} : { ...newUser(), ...change };
    const res = await request(app).post('/api/user').send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(fieldsOf(res.body).sort()).toEqual(expected);
  });

  it('when the fields have the wrong types, 400 names each of them', async () => {
    const { app } = await setup();
    const res = await request(app).post('/api/user').send({ username: 7, email: 42, password: true });
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['email', 'password', 'username']);
  });

  it('when the body is not JSON, 400 invalid_json comes back', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/api/user')
      .set('content-type', 'application/json')
      .send('{"username":');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_json');
  });
});
