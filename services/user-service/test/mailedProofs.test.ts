import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bearer } from '@shop/shared/testing';
import { register, useRecordedService, waitFor, type MailBody, type TestVariables } from './helpers.ts';

const start = useRecordedService();

/** The user-service, its mail requests recorded: what a mail would carry is read from them. */
async function setup(variables: TestVariables = {}) {
  const t = await start(variables);
  const { mails } = t;
  const nextMail = async (type: string, after: number) => {
    await waitFor(() =>
      mails()
        .slice(after)
        .some((m) => m.type === type),
    );
    return mails()
      .slice(after)
      .find((m) => m.type === type)!;
  };
  const tokenOf = (mail: MailBody) => mail.action?.url.split('#token=')[1] ?? '';
  return { ...t, nextMail, tokenOf };
}

describe('mailed proofs: address verification by link, password reset', () => {
  it('when the verification link is used, the address is verified, held mails are released and a welcome is asked for; the link works once', async () => {
    const t = await setup();
    const user = await register(t.app);
    const mail = await t.nextMail('email_verification', 0);

    const res = await request(t.app)
      .post('/api/user/verify-email')
      .send({ token: t.tokenOf(mail) });
    const twice = await request(t.app)
      .post('/api/user/verify-email')
      .send({ token: t.tokenOf(mail) });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, email_verified: true });
    expect(twice.status).toBe(400);
    expect(twice.body.code).toBe('verification_invalid');
    await waitFor(() => t.recorder.verified.length === 1);
    expect(t.recorder.verified).toEqual([{ user_id: user.id }]);
    await t.nextMail('welcome', 0);
  });

  it('when a reset token has expired, it is refused and the password stays', async () => {
    const t = await setup({ PASSWORD_RESET_TTL_SECONDS: 1 });
    const user = await register(t.app);
    expect((await request(t.app).post('/api/password/forgot').send({ email: user.email })).status).toBe(202);
    const mail = await t.nextMail('password_reset', 0);
    expect(mail.action?.code).toBeUndefined();
    await sleep(1100);
    const res = await request(t.app)
      .post('/api/password/reset')
      .send({ token: t.tokenOf(mail), new_password: 'Brand-new-horse-51' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('reset_token_invalid');
    expect(
      (await request(t.app).post('/api/login').send({ email: user.email, password: user.password })).status,
    ).toBe(200);
  });

  it('when a reset succeeds, every session of the account ends', async () => {
    const t = await setup();
    const user = await register(t.app);
    const session = (
      await request(t.app).post('/api/login').send({ email: user.email, password: user.password })
    ).body;
    await request(t.app).post('/api/password/forgot').send({ email: user.email });
    const mail = await t.nextMail('password_reset', 0);
    const res = await request(t.app)
      .post('/api/password/reset')
      .send({ token: t.tokenOf(mail), new_password: 'Brand-new-horse-51' });
    expect(res.status).toBe(204);
    const refreshed = await request(t.app)
      .post('/api/session/refresh')
      .send({ refresh_token: session.refresh_token });
    expect(refreshed.status).toBe(401);
  });

  it('when a new address is verified, the account switches to it and the old address gets the notice', async () => {
    const t = await setup();
    const user = await register(t.app);
    const { token } = (
      await request(t.app).post('/api/login').send({ email: user.email, password: user.password })
    ).body;
    const before = t.mails().length;
    await request(t.app)
      .post('/api/user/me/email')
      .set(bearer(token))
      .send({ new_email: 'moved@example.com', password: user.password });
    const mail = await t.nextMail('email_verification', before);
    expect(mail.address).toBe('moved@example.com');

    const res = await request(t.app)
      .post('/api/user/verify-email')
      .send({ token: t.tokenOf(mail) });

    expect(res.body).toMatchObject({ email: 'moved@example.com', email_verified: true });
    const notice = await t.nextMail('email_changed', before);
    expect(notice).toMatchObject({ user_id: user.id, address: user.email, reference: mail.reference });
  });

  it('when reset mails are asked for one address too often, 429 (USER_ACCOUNT_MAIL_RATE_LIMIT), whether or not it has an account', async () => {
    const t = await setup({ USER_ACCOUNT_MAIL_RATE_LIMIT: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push(
        (await request(t.app).post('/api/password/forgot').send({ email: 'victim@example.com' })).status,
      );
    }
    expect(statuses).toEqual([202, 202, 429]);
  });
});
