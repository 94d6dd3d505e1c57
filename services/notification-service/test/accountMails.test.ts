import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bearer, serviceToken, verificationCodeFor } from '@shop/shared/testing';
import {
  createOrder,
  mailsTo,
  muteEmails,
  PASSWORD,
  rawMail,
  registerUser,
  setOrderStatus,
  verifyAddress,
  waitFor,
} from './support/neighbours.ts';
import { asPaymentService, notify, startService, type TestService } from './support/service.ts';
import { deliverySuite } from './support/suite.ts';

const suite = deliverySuite('notification-accounts-');
const start = (env = {}) => suite.track(startService(suite.n, { env }));
const asUserService = bearer(serviceToken('user-service', 'notification-service'));

const addressVerified = (service: TestService, userId: string) =>
  request(service.app).post('/api/notify/address-verified').set(asUserService).send({ user_id: userId });

describe('mail carrying user text never reaches an unverified address', () => {
  it('when an attacker pays and refunds an order named like a phishing mail for a victim who never verified the address, the victim gets nothing', async () => {
    const service = start();
    const victim = await registerUser(suite.n, undefined, { verified: false });
    const phishing = 'URGENT - account locked: confirm your card at https://evil.example/login';
    const order = await createOrder(suite.n, victim.id, { product_name: phishing, price: '0.50' });

    const receipt = await notify(service, { user_id: victim.id, order_id: order.id, type: 'order_paid' });
    await setOrderStatus(suite.n, order.id, 'Refunded');
    const refund = await notify(service, { user_id: victim.id, order_id: order.id, type: 'order_refunded' });

    expect([receipt.body.status, refund.body.status]).toEqual(['held', 'held']);
    expect(await mailsTo(suite.n.gmail, victim.email)).toEqual([]);
  });

  it('when a receipt was held and the owner verifies the address, the receipt arrives once', async () => {
    const service = start();
    const user = await registerUser(suite.n, undefined, { verified: false });
    const order = await createOrder(suite.n, user.id);
    const held = await notify(service, { user_id: user.id, order_id: order.id });
    expect(held.status).toBe(200);
    expect(held.body.status).toBe('held');
    expect((await addressVerified(service, user.id)).body).toEqual({ released: 0 }); // not verified yet

    await verifyAddress(suite.n, user);
    const released = await addressVerified(service, user.id);

    expect(released.status).toBe(200);
    expect(released.body).toEqual({ released: 1 });
    const mails = await mailsTo(suite.n.gmail, user.email);
    expect(mails.map((m) => m.subject)).toEqual([expect.stringContaining('Your receipt')]);
    expect(service.store.get(held.body.notification_id)?.status).toBe('sent');
    expect((await addressVerified(service, user.id)).body).toEqual({ released: 0 });
  });

  it('when a receipt was held and the owner mutes order updates before verifying, the receipt is skipped, not sent', async () => {
    const service = start();
    const user = await registerUser(suite.n, undefined, { verified: false });
    const order = await createOrder(suite.n, user.id);
    const held = await notify(service, { user_id: user.id, order_id: order.id });
    expect(held.body.status).toBe('held');
    await muteEmails(suite.n, user.id, 'order_updates');

    await verifyAddress(suite.n, user);
    const released = await addressVerified(service, user.id);

    expect(released.body).toEqual({ released: 0 });
    expect(service.store.get(held.body.notification_id)).toMatchObject({
      status: 'skipped',
      last_error: 'The user turned off order_updates emails.',
    });
    expect(await mailsTo(suite.n.gmail, user.email)).toEqual([]);
  });

  it('when the address-verified call is lost, the worker finds the verified address and sends the held mail', async () => {
    const service = start({ NOTIFY_HELD_RECHECK_MS: 10 });
    const user = await registerUser(suite.n, undefined, { verified: false });
    const held = await notify(service, { user_id: user.id, type: 'welcome' });
    expect(held.body.status).toBe('held');
    await verifyAddress(suite.n, user);

    service.worker.start();
    await waitFor(
      'the held welcome mail',
      async () => (await mailsTo(suite.n.gmail, user.email)).length === 1,
    );
    expect(service.store.get(held.body.notification_id)?.status).toBe('sent');
  });

  it('when a held mail is older than NOTIFICATION_GIVE_UP_AFTER_HOURS, the worker gives it up', async () => {
    const service = start({ NOTIFY_HELD_RECHECK_MS: 10, NOTIFICATION_GIVE_UP_AFTER_HOURS: '0.000001' });
    const user = await registerUser(suite.n, undefined, { verified: false });
    const held = await notify(service, { user_id: user.id, type: 'welcome' });
    service.worker.start();
    await waitFor(
      'the held mail to give up',
      () => service.store.get(held.body.notification_id)?.status === 'failed',
    );
    expect(await mailsTo(suite.n.gmail, user.email)).toEqual([]);
  });
});

describe('security mails', () => {
  it('when the user-service asks for a verification mail, it goes even to an unverified address, with fixed text, no username, and the link erased from the row once sent', async () => {
    const service = start();
    const user = await registerUser(suite.n, `Eve-${randomUUID().slice(0, 6)}`, { verified: false });
    const reference = randomUUID();
    const body = {
      user_id: user.id,
      type: 'email_verification',
      reference,
      action: { url: 'http://localhost:3001/account/verify-email#token=abc', code: '123456' },
    };

    const res = await request(service.app).post('/api/notify').set(asUserService).send(body);
    const again = await request(service.app).post('/api/notify').set(asUserService).send(body);

    expect(res.body.status).toBe('sent');
    expect(again.body.notification_id).toBe(res.body.notification_id);
    const [mail] = await mailsTo(suite.n.gmail, user.email);
    expect(mail?.subject).toBe('Confirm your email address');
    const { raw, mail: parsed } = await rawMail(suite.n.gmail, mail!.id);
    expect(parsed.text).toContain('Code: 123456');
    expect(raw).not.toContain(user.username);
    expect(service.store.get(res.body.notification_id)?.mime).toBeNull();
    const other = await request(service.app)
      .post('/api/notify')
      .set(asUserService)
      .send({ ...body, reference: randomUUID() });
    expect(other.body.notification_id).not.toBe(res.body.notification_id);
  });

  it('when another service asks for a security mail, 403 and nothing is recorded', async () => {
    const service = start();
    const user = await registerUser(suite.n);
    const res = await request(service.app)
      .post('/api/notify')
      .set(asPaymentService)
      .send({ user_id: user.id, type: 'password_changed', reference: randomUUID() });
    expect(res.status).toBe(403);
    expect(service.store.list({ user_id: user.id, limit: 10 })).toEqual([]);
  });

  it('when a security mail lacks its reference or action, 400 names the field', async () => {
    const service = start();
    const res = await request(service.app)
      .post('/api/notify')
      .set(asUserService)
      .send({ user_id: randomUUID(), type: 'password_reset' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['action', 'reference']);
  });
});

describe('account flows through the user-service and its mails', () => {
  it('when a verification code is guessed wrong 5 times, it is void (even the right code then fails) and a new mail brings a working one', async () => {
    const user = await registerUser(suite.n, undefined, { verified: false });
    const { body } = await request(suite.n.users.url)
      .post('/api/login')
      .send({ email: user.email, password: PASSWORD });
    const auth = bearer(body.token);
    const code = await verificationCodeFor(suite.n.accountMail.gmail.url, user.email);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const tries = [];
    for (let i = 0; i < 5; i += 1) {
      tries.push(
        (await request(suite.n.users.url).post('/api/user/me/verify-email').set(auth).send({ code: wrong }))
          .body.code,
      );
    }
    expect(tries).toEqual(Array(5).fill('verification_invalid'));
    const right = await request(suite.n.users.url).post('/api/user/me/verify-email').set(auth).send({ code });
    expect(right.status).toBe(400);
    expect(right.body.code).toBe('verification_expired');

    await request(suite.n.accountMail.gmail.url).delete('/api/messages');
    expect((await request(suite.n.users.url).post('/api/user/me/verify-email/resend').set(auth)).status).toBe(
      202,
    );
    const fresh = await verificationCodeFor(suite.n.accountMail.gmail.url, user.email);
    const ok = await request(suite.n.users.url)
      .post('/api/user/me/verify-email')
      .set(auth)
      .send({ code: fresh });
    expect(ok.status).toBe(200);
    expect(ok.body.email_verified).toBe(true);
  });

  it('when a password reset is asked for, the same 202 comes for an unknown address, and the mailed token works once', async () => {
    const user = await registerUser(suite.n);
    const unknown = await request(suite.n.users.url)
      .post('/api/password/forgot')
      .send({ email: 'nobody@example.com' });
    const known = await request(suite.n.users.url).post('/api/password/forgot').send({ email: user.email });
    expect([unknown.status, known.status]).toEqual([202, 202]);
    expect(unknown.text).toBe(known.text);

    const mail = await waitFor('the reset mail', async () =>
      (await mailsTo(suite.n.accountMail.gmail, user.email)).find((m) => m.subject === 'Reset your password'),
    );
    const token = /#token=([\w-]+)/.exec(mail.text)?.[1];
    const reset = { token, new_password: 'Brand-new-horse-51' };
    expect((await request(suite.n.users.url).post('/api/password/reset').send(reset)).status).toBe(204);
    const twice = await request(suite.n.users.url)
      .post('/api/password/reset')
      .send({ ...reset, new_password: 'Other-new-horse-52' });
    expect(twice.status).toBe(400);
    expect(twice.body.code).toBe('reset_token_invalid');
    const login = await request(suite.n.users.url)
      .post('/api/login')
      .send({ email: user.email, password: reset.new_password });
    expect(login.status).toBe(200);
    await waitFor('the password-changed notice', async () =>
      (await mailsTo(suite.n.accountMail.gmail, user.email)).some(
        (m) => m.subject === 'Your password was changed',
      ),
    );
  });
});

describe('a deleted account', () => {
  it('when a user deletes the account, its orders stay readable for accounting and hold no personal data', async () => {
    const user = await registerUser(suite.n);
    const order = await createOrder(suite.n, user.id, { product_name: 'Desk lamp' });
    const { body } = await request(suite.n.users.url)
      .post('/api/login')
      .send({ email: user.email, password: PASSWORD });
    const deleted = await request(suite.n.users.url)
      .delete('/api/user/me')
      .set(bearer(body.token))
      .send({ password: PASSWORD });
    expect(deleted.status).toBe(204);

    const read = await request(suite.n.orders.url)
      .get(`/api/order/${order.id}`)
      .set(bearer(serviceToken('payment-service', 'order-service')));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: order.id, user_id: user.id, status: 'Paid', amount: order.amount });
    expect(JSON.stringify(read.body)).not.toContain(user.email);
    expect(JSON.stringify(read.body)).not.toContain(user.username);
    const lookup = await request(suite.n.users.url)
      .get(`/api/user/${user.id}`)
      .set(bearer(serviceToken('notification-service', 'user-service')));
    expect(lookup.status).toBe(404);
  });
});
