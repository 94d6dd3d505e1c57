import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bearer, captureLogs, logLines, serviceToken } from '@shop/shared/testing';
import { deliverySuite } from './support/suite.ts';
import {
  armGmailFault,
  createOrder,
  mailsTo,
  muteEmails,
  rawMail,
  registerUser,
  setOrderStatus,
  waitFor,
} from './support/neighbours.ts';
import { asUser, counted, notify, startService } from './support/service.ts';

// The notify use case's answers and records beyond "sent or not": the problem `detail` of each
// refusal, the counters and log lines of a re-queue, a deferral and a skip, and the calls a
// repeated request does not make.
const suite = deliverySuite('notification-notifier-');
const asOperator = bearer(serviceToken('notification-service', 'notification-service'));
const CAPPED_MSG = /^notification (deferred|skipped): its recipient is over the hourly cap$/;

function startLogged(env: Record<string, string | number> = {}) {
  const { logger, lines } = captureLogs('notification-service');
  const service = suite.track(startService(suite.n, { env: { LOG_LEVEL: 'info', ...env }, logger }));
  return { service, lines };
}

const resend = (service: { app: Parameters<typeof request>[0] }, id: string) =>
  request(service.app).post(`/api/notifications/${id}/resend`).set(asOperator);

const verificationMail = (userId: string) => ({
  user_id: userId,
  type: 'email_verification',
  reference: randomUUID(),
  action: { url: 'https://shop.example/verify?token=t', code: '123456' },
});

describe('asking for a mail', () => {
  it('when a service asks for a type of mail it does not request, the 403 names the service that does', async () => {
    const { service } = startLogged();
    const user = await registerUser(suite.n);
    const order = await createOrder(suite.n, user.id);

    const res = await request(service.app)
      .post('/api/notify')
      .set(bearer(serviceToken('user-service', 'notification-service')))
      .send({ user_id: user.id, order_id: order.id, type: 'order_paid' });

    expect(res.status).toBe(403);
    expect(res.body.detail).toBe('Only the payment-service asks for order_paid mails.');
  });

  it('when a refund mail is asked for an order that is still Paid, the 409 names the states it needs', async () => {
    const { service } = startLogged();
    const user = await registerUser(suite.n);
    const order = await createOrder(suite.n, user.id);

    const res = await notify(service, { user_id: user.id, order_id: order.id, type: 'order_refunded' });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'order_not_refunded',
      detail: 'The order is Paid, not Refunded or Cancelled: there is no order_refunded mail to send.',
    });
  });

  it('when a receipt is asked again after the order was refunded, the first (sent) receipt is answered: the stored mail decides, not the order now', async () => {
    const { service } = startLogged();
    const user = await registerUser(suite.n);
    const order = await createOrder(suite.n, user.id);
    const first = await notify(service, { user_id: user.id, order_id: order.id });
    await setOrderStatus(suite.n, order.id, 'Refunded');

    const again = await notify(service, { user_id: user.id, order_id: order.id });

    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ notification_id: first.body.notification_id, status: 'sent' });
  });

  it('a security mail names nobody in its To header, only the address', async () => {
    const { service } = startLogged();
    const user = await registerUser(suite.n);

    await notify(service, verificationMail(user.id));

    const [sent] = await mailsTo(suite.n.gmail, user.email);
    const { mail } = await rawMail(suite.n.gmail, sent!.id);
    expect(mail.to).toMatchObject({ value: [{ address: user.email, name: '' }] });
  });
});

describe('the counters and log lines of a mail that is not sent now', () => {
  it('when a mail Gmail refused is re-sent, it is counted queued and logged with its id, type and last error', async () => {
    const { service, lines } = startLogged();
    const user = await registerUser(suite.n);
    await armGmailFault(suite.n.gmail, { mode: 'error', status: 400, count: 1, operation: 'drafts.create' });
    const failed = await notify(service, { user_id: user.id, type: 'welcome' });
    expect(failed.body.status).toBe('failed');
    const id = failed.body.notification_id as string;
    const lastError = service.store.get(id)!.last_error;

    const res = await resend(service, id);

    expect(res.status).toBe(202);
    expect(res.body.status).toBe('queued');
    expect(await counted(service, 'notifications_total', { type: 'welcome', status: 'queued' })).toBe(1);
    expect(logLines(lines, 'failed notification queued again')).toEqual([
      expect.objectContaining({ notification_id: id, type: 'welcome', last_error: lastError }),
    ]);
  });

  it('over the recipient cap a receipt is deferred and logged with its next try; a receipt sent at once is neither counted capped nor logged so', async () => {
    const { service, lines } = startLogged({ NOTIFY_RECIPIENT_HOURLY_CAP: 1 });
    const user = await registerUser(suite.n);
    const sent = await notify(service, {
      user_id: user.id,
      order_id: (await createOrder(suite.n, user.id)).id,
    });
    expect(sent.body.status).toBe('sent');
    expect(logLines(lines).filter((line) => CAPPED_MSG.test(String(line.msg)))).toEqual([]);
    expect(await request(service.app).get('/metrics')).toMatchObject({
      text: expect.not.stringMatching(/^notifications_capped_total\{/m),
    });

    const deferred = await notify(service, {
      user_id: user.id,
      order_id: (await createOrder(suite.n, user.id)).id,
    });

    expect(deferred.status).toBe(202);
    const id = deferred.body.notification_id as string;
    expect(logLines(lines, 'notification deferred: its recipient is over the hourly cap')).toEqual([
      expect.objectContaining({
        notification_id: id,
        type: 'order_paid',
        next_attempt_at: service.store.get(id)!.next_attempt_at,
      }),
    ]);
  });

  it('a mail the user muted is counted skipped and logged as muted; one skipped over the cap is counted skipped but not logged as muted', async () => {
    const { service, lines } = startLogged({ NOTIFY_RECIPIENT_HOURLY_CAP: 1 });
    const user = await registerUser(suite.n);
    await muteEmails(suite.n, user.id, 'welcome');

    const muted = await notify(service, { user_id: user.id, type: 'welcome' });
    await notify(service, verificationMail(user.id));
    const overCap = await notify(service, verificationMail(user.id));

    expect([muted.body.status, overCap.body.status]).toEqual(['skipped', 'skipped']);
    expect(await counted(service, 'notifications_total', { type: 'welcome', status: 'skipped' })).toBe(1);
    expect(
      await counted(service, 'notifications_total', { type: 'email_verification', status: 'skipped' }),
    ).toBe(1);
    expect(logLines(lines, 'notification skipped: muted by the user')).toEqual([
      expect.objectContaining({ notification_id: muted.body.notification_id, type: 'welcome' }),
    ]);
  });
});

describe('re-sending and reading: the code and detail of each refusal', () => {
  it('a re-send of an unknown id is a 404, of a sent mail a 409 notification_sent, of a skipped mail a 409 notification_skipped, each with its detail', async () => {
    const { service } = startLogged();
    const user = await registerUser(suite.n);
    const sent = await notify(service, { user_id: user.id, type: 'welcome' });
    await muteEmails(suite.n, user.id, 'order_updates');
    const skipped = await notify(service, {
      user_id: user.id,
      order_id: (await createOrder(suite.n, user.id)).id,
    });
    expect([sent.body.status, skipped.body.status]).toEqual(['sent', 'skipped']);

    const unknown = await resend(service, randomUUID());
    const ofSent = await resend(service, sent.body.notification_id);
    const ofSkipped = await resend(service, skipped.body.notification_id);

    expect([unknown.status, unknown.body.code, unknown.body.detail]).toEqual([
      404,
      'notification_not_found',
      'No notification with this id.',
    ]);
    expect([ofSent.status, ofSent.body.code, ofSent.body.detail]).toEqual([
      409,
      'notification_sent',
      'This mail was sent; it is not sent twice.',
    ]);
    expect([ofSkipped.status, ofSkipped.body.code, ofSkipped.body.detail]).toEqual([
      409,
      'notification_skipped',
      'This mail was skipped (muted by the user, or over the recipient cap); nothing is sent.',
    ]);
  });

  it("a user listing another user's notifications gets a 403, reading one of them a 404, each with its detail", async () => {
    const { service } = startLogged();
    const ann = await registerUser(suite.n);
    const bob = await registerUser(suite.n);
    const bobs = await notify(service, { user_id: bob.id, type: 'welcome' });

    const list = await request(service.app)
      .get('/api/notifications')
      .query({ user_id: bob.id })
      .set(asUser(ann.id));
    const read = await request(service.app)
      .get(`/api/notifications/${bobs.body.notification_id}`)
      .set(asUser(ann.id));

    expect([list.status, list.body.detail]).toEqual([403, 'You may only list your own notifications.']);
    expect([read.status, read.body.code, read.body.detail]).toEqual([
      404,
      'notification_not_found',
      'No notification with this id.',
    ]);
  });
});

describe('what the edge shows and accepts', () => {
  it('while the inline try waits for Gmail, the mail reads as queued, with its lease end as the next try', async () => {
    const { service } = startLogged({ NOTIFY_INLINE_SEND_TIMEOUT_MS: 5_000 });
    const user = await registerUser(suite.n);
    await armGmailFault(suite.n.gmail, {
      mode: 'slow',
      count: 1,
      delay_ms: 1_500,
      operation: 'drafts.create',
    });

    const pending = notify(service, { user_id: user.id, type: 'welcome' }).then((res) => res);
    const row = await waitFor('the row of the mail being sent', () =>
      service.store.list({ user_id: user.id, limit: 10 }).at(0),
    );
    const listed = await request(service.app).get('/api/notifications').set(asUser(user.id));
    await pending;

    expect(row.status).toBe('sending');
    expect(listed.body.data).toEqual([
      expect.objectContaining({ id: row.id, status: 'queued', next_attempt_at: row.lease_until }),
    ]);
    expect(row.lease_until).not.toBeNull();
  });

  it('when a welcome mail names an address, 400 says the address is only allowed for security mails', async () => {
    const { service } = startLogged();
    const user = await registerUser(suite.n);

    const res = await notify(service, { user_id: user.id, type: 'welcome', address: 'other@example.com' });

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: 'address', message: 'Only allowed for security mails' }),
    ]);
  });
});
