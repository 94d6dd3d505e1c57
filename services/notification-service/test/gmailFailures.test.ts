import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ConfigError, createLogger } from '@shop/shared';
import { bearer, captureLogs, serviceToken } from '@shop/shared/testing';
import { checkSender } from '../src/domain/senderCheck.ts';
import { deliverySuite } from './support/suite.ts';
import { armGmailFault, clearGmailFaults, mailsTo, registerUser, waitFor } from './support/neighbours.ts';
import { FAST_BLOCKED_RETRY, getNotification, notify, startService } from './support/service.ts';

const suite = deliverySuite('notification-service-');
const { track } = suite;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const asOperator = bearer(serviceToken('notification-service', 'notification-service'));

describe('mail is never silently lost', () => {
  it('when Gmail is down for 30 minutes (time compressed 1000 x), every mail queued meanwhile goes out once afterwards: 0 lost, 0 duplicated', async () => {
    // Production's schedule divided by 1000: retries from 1 ms up to 300 ms, give up after 48 h / 1000.
    const service = track(
      startService(suite.n, {
        env: { NOTIFY_RETRY_BASE_MS: 1, NOTIFY_RETRY_MAX_MS: 300, NOTIFICATION_GIVE_UP_AFTER_HOURS: 0.048 },
      }),
    );
    service.worker.start();
    await armGmailFault(suite.n.gmail, { mode: 'error', status: 503 }); // until cleared
    const users = await Promise.all([1, 2, 3, 4, 5].map(() => registerUser(suite.n)));
    const ids: string[] = [];
    for (const user of users) {
      const res = await notify(service, { user_id: user.id, type: 'welcome' });
      expect(res.status).toBe(202);
      ids.push(res.body.notification_id as string);
    }

    await sleep(1_800); // 30 minutes / 1000
    for (const [i, user] of users.entries()) {
      expect((await getNotification(service, user.id, ids[i]!)).status, 'still queued in the outage').toBe(
        'queued',
      );
    }
    await clearGmailFaults(suite.n.gmail);

    for (const [i, user] of users.entries()) {
      await waitFor(
        'each mail to be sent',
        async () => (await getNotification(service, user.id, ids[i]!)).status === 'sent',
      );
    }
    for (const user of users) expect(await mailsTo(suite.n.gmail, user.email), '1 mail each').toHaveLength(1);
  });

  it('when a mail is not sent within NOTIFICATION_GIVE_UP_AFTER_HOURS, it fails as an operator problem (metric and error log), and a repeated notify queues it again until it goes out once', async () => {
    const { logger, lines } = captureLogs('notification-service');
    const service = track(
      startService(suite.n, { logger, env: { NOTIFICATION_GIVE_UP_AFTER_HOURS: 0.0001 } }),
    ); // 360 ms
    service.worker.start();
    const user = await registerUser(suite.n);
    await armGmailFault(suite.n.gmail, { mode: 'error', status: 503 });

    const first = await notify(service, { user_id: user.id, type: 'welcome' });
    const id = first.body.notification_id as string;
    const failed = await waitFor('the mail to give up', async () => {
      const note = await getNotification(service, user.id, id);
      return note.status === 'failed' && note;
    });
    expect(failed.last_error).toMatch(/503.*gave up: not sent within 0 h/);
    const metrics = (await request(service.app).get('/metrics')).text;
    expect(metrics).toMatch(/notifications_total\{[^}]*type="welcome"[^}]*status="gave_up"[^}]*\} 1/);
    const logged = lines.map(
      (l) => JSON.parse(l) as { level: number | string; msg: string; operator_action?: boolean },
    );
    expect(logged.some((l) => l.operator_action === true && /operator must look/.test(l.msg))).toBe(true);

    await clearGmailFaults(suite.n.gmail);
    const again = await notify(service, { user_id: user.id, type: 'welcome' });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ notification_id: id, status: 'queued' });
    await waitFor(
      'the re-queued mail to go out',
      async () => (await getNotification(service, user.id, id)).status === 'sent',
    );
    expect(await mailsTo(suite.n.gmail, user.email)).toHaveLength(1);
  });

  it('when an operator re-sends a failed mail (the notification-service token), it is queued and sent once; other services are refused, and a sent mail is a 409', async () => {
    const service = track(startService(suite.n, { env: { NOTIFICATION_GIVE_UP_AFTER_HOURS: 0.0001 } }));
    service.worker.start();
    const user = await registerUser(suite.n);
    await armGmailFault(suite.n.gmail, { mode: 'error', status: 503 });
    const id = (await notify(service, { user_id: user.id, type: 'welcome' })).body.notification_id as string;
    await waitFor(
      'the mail to give up',
      async () => (await getNotification(service, user.id, id)).status === 'failed',
    );
    await clearGmailFaults(suite.n.gmail);

    const byPayment = await request(service.app)
      .post(`/api/notifications/${id}/resend`)
      .set(bearer(serviceToken('payment-service', 'notification-service')));
    expect(byPayment.status).toBe(403);
    const resend = await request(service.app).post(`/api/notifications/${id}/resend`).set(asOperator);
    expect(resend.status).toBe(202);
    expect(resend.body).toMatchObject({ id, status: 'queued' });
    await waitFor(
      'the re-sent mail to go out',
      async () => (await getNotification(service, user.id, id)).status === 'sent',
    );

    const twice = await request(service.app).post(`/api/notifications/${id}/resend`).set(asOperator);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('notification_sent');
    expect(await mailsTo(suite.n.gmail, user.email)).toHaveLength(1);
  });
});

describe('quota is not configuration', () => {
  it.each([
    ['userRateLimitExceeded', 403],
    ['dailyLimitExceeded', 403],
    ['rateLimitExceeded', 429],
  ] as const)(
    'when Gmail answers %s (%i) with Retry-After, the mail waits at least that long and no configuration problem is logged',
    async (reason, status) => {
      const { logger, lines } = captureLogs('notification-service');
      const service = track(startService(suite.n, { logger }));
      const user = await registerUser(suite.n);
      await armGmailFault(suite.n.gmail, { mode: 'error', status, reason, retry_after_s: 600, count: 1 });

      const before = Date.now();
      const res = await notify(service, { user_id: user.id, type: 'welcome' });

      expect(res.status).toBe(202);
      const note = await getNotification(service, user.id, res.body.notification_id);
      expect(note.last_error).toContain(reason);
      expect(Date.parse(note.next_attempt_at!) - before).toBeGreaterThanOrEqual(600_000);
      expect(lines.join('\n')).not.toContain('configuration problem');
    },
  );

  it('when Gmail refuses the credentials, the mail is retried on the slow schedule (a minute, not milliseconds)', async () => {
    const service = track(startService(suite.n));
    const user = await registerUser(suite.n);
    await armGmailFault(suite.n.gmail, {
      mode: 'error',
      status: 403,
      reason: 'insufficientPermissions',
      count: 1,
    });

    const before = Date.now();
    const res = await notify(service, { user_id: user.id, type: 'welcome' });

    const note = await getNotification(service, user.id, res.body.notification_id);
    expect(note.status).toBe('queued');
    expect(Date.parse(note.next_attempt_at!) - before).toBeGreaterThanOrEqual(60_000);
  });
});

describe('duplicate-safe sending', () => {
  it('when the service dies mid-send after Gmail sent the draft and the draft lookup then fails (403), nothing is sent blind; once the lookup works the mail is marked sent: 1 mail', async () => {
    const dbPath = join(suite.dir, `crash-${randomUUID()}.sqlite`);
    const env = {
      NOTIFICATION_DB_PATH: dbPath,
      NOTIFY_INLINE_SEND_TIMEOUT_MS: 200,
      GMAIL_SEND_TIMEOUT_MS: 300,
      ...FAST_BLOCKED_RETRY,
    };
    const crashed = startService(suite.n, { env });
    const user = await registerUser(suite.n);
    // Gmail takes the send but answers after the caller gave up; then the process is gone.
    await armGmailFault(suite.n.gmail, { mode: 'slow', count: 1, delay_ms: 400, operation: 'drafts.send' });
    const res = await notify(crashed, { user_id: user.id, type: 'welcome' });
    expect(res.status).toBe(202);
    await crashed.close();
    await waitFor(
      'Gmail to have sent it',
      async () => (await mailsTo(suite.n.gmail, user.email)).length === 1,
    );

    // The lookup is refused (as it would be without the draft scope), while a send would still work.
    await armGmailFault(suite.n.gmail, {
      mode: 'error',
      status: 403,
      reason: 'insufficientPermissions',
      operation: 'drafts.get',
    });
    const restarted = track(startService(suite.n, { env }));
    restarted.worker.start();
    const id = res.body.notification_id as string;
    await waitFor(
      'two failed lookups',
      async () => (await getNotification(restarted, user.id, id)).attempts >= 3,
    );
    expect((await getNotification(restarted, user.id, id)).status).toBe('queued');
    expect(await mailsTo(suite.n.gmail, user.email), 'nothing sent blind').toHaveLength(1);

    await clearGmailFaults(suite.n.gmail);
    await waitFor(
      'the draft check to settle it',
      async () => (await getNotification(restarted, user.id, id)).status === 'sent',
    );
    expect(await mailsTo(suite.n.gmail, user.email), '1 mail, 0 duplicated').toHaveLength(1);
  });
});

describe('GMAIL_SENDER checked at start', () => {
  const logger = createLogger('notification-service', 'silent');

  it('when the sender is the Gmail account, the check passes', async () => {
    const service = track(startService(suite.n));
    await expect(checkSender(service.mailer, logger, 1_000)).resolves.toBeUndefined();
  });

  it('when the sender is neither the account nor a verified alias, start-up stops with one line naming GMAIL_SENDER', async () => {
    const service = track(startService(suite.n, { env: { GMAIL_SENDER: 'Shop <no-reply@shop.local>' } }));
    const check = checkSender(service.mailer, logger, 1_000);
    await expect(check).rejects.toThrow(ConfigError);
    await expect(checkSender(service.mailer, logger, 1_000)).rejects.toThrow(
      "Invalid configuration: GMAIL_SENDER (no-reply@shop.local) is not the Gmail account's address or a verified send-as alias (it may send as: shop@example.com)",
    );
  });

  it('when Gmail is down at start, start-up goes on (mail waits in the queue)', async () => {
    const service = track(startService(suite.n));
    await armGmailFault(suite.n.gmail, { mode: 'error', status: 503, operation: 'sendAs.list' });
    await expect(checkSender(service.mailer, logger, 1_000)).resolves.toBeUndefined();
  });
});
