import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bearer, userToken } from '@shop/shared/testing';
import { register, useRecordedService, waitFor, type TestVariables } from './helpers.ts';

// The signed-in side of address verification: the 6-digit code from the mail, a new mail on request,
// their rate limits; and logout with an access token that names no session.

const start = useRecordedService();

/** A registered, signed-in user; the verification mails asked for are read from the recorder. */
async function signedIn(variables: TestVariables = {}) {
  const built = await start(variables);
  const user = await register(built.app);
  const login = await request(built.app)
    .post('/api/login')
    .send({ email: user.email, password: user.password });
  expect(login.status).toBe(200);
  const auth = bearer(login.body.token as string);
  const codes = () =>
    built
      .mails()
      .filter((m) => m.type === 'email_verification')
      .map((m) => m.action?.code ?? '');
  /** The code of the `count`th verification mail, once it was asked for. */
  const codeOfMail = async (count: number) => {
    await waitFor(() => codes().length >= count);
    return codes()[count - 1]!;
  };
  const postCode = (code: string) =>
    request(built.app).post('/api/user/me/verify-email').set(auth).send({ code });
  const resend = () => request(built.app).post('/api/user/me/verify-email/resend').set(auth);
  return { ...built, user, auth, codes, codeOfMail, postCode, resend };
}

/** A six-digit code other than `code`. */
const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');

describe('verification by code', () => {
  it('when the code from the verification mail is posted, 200 brings the user verified; the same code again is a 400', async () => {
    const t = await signedIn();
    const code = await t.codeOfMail(1);
    expect(code).toMatch(/^\d{6}$/);

    const res = await t.postCode(code);
    const again = await t.postCode(code);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: t.user.id, email: t.user.email, email_verified: true });
    expect(res.body).not.toHaveProperty('password_hash');
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('verification_expired');
  });

  it('when a wrong code is posted, 400 verification_invalid says how many tries are left; after the fifth the right code is refused too', async () => {
    const t = await signedIn();
    const code = await t.codeOfMail(1);

    const first = await t.postCode(otherThan(code));
    for (let i = 0; i < 4; i++) await t.postCode(otherThan(code));
    const right = await t.postCode(code);

    expect(first.status).toBe(400);
    expect(first.body).toMatchObject({
      code: 'verification_invalid',
      detail: expect.stringContaining('4 tries left'),
    });
    expect(right.status).toBe(400);
    expect(right.body.code).toBe('verification_expired');
  });

  it('when a user posts more codes than USER_VERIFY_CODE_RATE_LIMIT, 429 with Retry-After, even for the right code', async () => {
    const t = await signedIn({ USER_VERIFY_CODE_RATE_LIMIT: 2 });
    const code = await t.codeOfMail(1);

    const answers = [await t.postCode(otherThan(code)), await t.postCode(otherThan(code))];
    const limited = await t.postCode(code);

    expect(answers.map((res) => res.status)).toEqual([400, 400]);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('a new verification mail', () => {
  it('when a new mail is asked for, 202 and a mail with a new code; the previous code stops working', async () => {
    const t = await signedIn();
    const firstCode = await t.codeOfMail(1);

    const res = await t.resend();
    const secondCode = await t.codeOfMail(2);

    expect(res.status).toBe(202);
    expect(res.text).toBe('');
    const old = await t.postCode(firstCode);
    // Both codes are random: in one case in a million they are the same, and the old one works.
    if (firstCode !== secondCode) {
      expect(old.status).toBe(400);
      expect((await t.postCode(secondCode)).status).toBe(200);
    }
  });

  it('when the address is verified already, a new mail is a 409 email_already_verified and none is asked for', async () => {
    const t = await signedIn();
    expect((await t.postCode(await t.codeOfMail(1))).status).toBe(200);

    const res = await t.resend();

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('email_already_verified');
    expect(t.codes()).toHaveLength(1);
  });

  it('when a user asks for more mails than USER_ACCOUNT_MAIL_RATE_LIMIT, 429 and no further mail', async () => {
    const t = await signedIn({ USER_ACCOUNT_MAIL_RATE_LIMIT: 1 });
    await t.codeOfMail(1);

    const allowed = await t.resend();
    const limited = await t.resend();

    expect(allowed.status).toBe(202);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    await t.codeOfMail(2);
    expect(t.codes()).toHaveLength(2);
  });
});

describe('logout', () => {
  it('when the access token names no session (one made before sessions existed), logout answers 204 and every session stays', async () => {
    const t = await signedIn();

    const res = await request(t.app)
      .post('/api/logout')
      .set(bearer(userToken(t.user.id)));

    expect(res.status).toBe(204);
    expect((await request(t.app).get('/api/user/me').set(t.auth)).status).toBe(200);
  });
});
