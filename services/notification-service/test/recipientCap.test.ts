import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { MessageView } from '@shop/gmail-sandbox';
import { createLogger, openSqlite, type RunningServer } from '@shop/shared';
import {
  buildDependencies as buildUserDependencies,
  createApp as createUserApp,
  readConfig as readUserConfig,
} from '@shop/user-service';
import { listen, testEnv } from '@shop/shared/testing';
import { MIGRATIONS } from '../src/data/migrations.ts';
import { createOrder, mailsTo, registerUser, waitFor } from './support/neighbours.ts';
import { listenFirst } from './support/listenFirst.ts';
import { getNotification, notify, startService } from './support/service.ts';
import { deliverySuite } from './support/suite.ts';

const suite = deliverySuite('notification-cap-');
const HOUR_MS = 3_600_000;

/** Registers a user of the neighbour user-service at a chosen address. */
async function registerAt(email: string) {
  const username = `u${email.replace(/[^a-z0-9]/gi, '').slice(0, 20)}${Math.random().toString(36).slice(2, 8)}`;
  const res = await request(suite.n.users.url)
    .post('/api/user')
    .send({ username, email, password: 'correct horse 42' });
  if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${res.text}`);
  return res.body as { id: string; email: string };
}

/**
 * The verification mail the user-service asks for: anyone can make it go to any address (by
 * registering it), so over the cap it is skipped. Mails with user text are held for an unverified
 * address, so they are not what these tests' fresh registrations receive.
 */
const verificationMail = (userId: string) => ({
  user_id: userId,
  type: 'email_verification',
  reference: randomUUID(),
  action: { url: 'https://shop.example/verify?token=t', code: '123456' },
});

const mailbox = () => `victim.${Math.random().toString(36).slice(2, 10)}`;

/** Every message the sandbox accepted for the mailbox, whatever +tag its address carried. */
async function mailsInMailbox(local: string): Promise<MessageView[]> {
  const res = await request(suite.n.gmail.url).get('/api/messages');
  const all = (res.body as { messages: MessageView[] }).messages;
  const address = new RegExp(`^${local}(\\+[^@]*)?@example\\.com$`, 'i');
  return all.filter((m) => m.recipients.some((r) => address.test(r)));
}

describe('the per-recipient hourly cap', () => {
  it('when receipts to one mailbox pass the cap, the extra one is deferred an hour past the first (queued, not sent, not dropped) and counted', async () => {
    const service = suite.track(startService(suite.n, { env: { NOTIFY_RECIPIENT_HOURLY_CAP: 2 } }));
    const user = await registerUser(suite.n);
    const orders = [
      await createOrder(suite.n, user.id),
      await createOrder(suite.n, user.id),
      await createOrder(suite.n, user.id),
    ];

    const answers = [];
    for (const order of orders) answers.push(await notify(service, { user_id: user.id, order_id: order.id }));
    await service.delivery.runDue();

    expect(answers.map((a) => [a.status, a.body.status])).toEqual([
      [200, 'sent'],
      [200, 'sent'],
      [202, 'queued'],
    ]);
    const first = await getNotification(service, user.id, answers[0]!.body.notification_id);
    const deferred = await getNotification(service, user.id, answers[2]!.body.notification_id);
    expect(deferred).toMatchObject({ status: 'queued', attempts: 0, sent_at: null });
    expect(Date.parse(deferred.next_attempt_at!)).toBe(Date.parse(first.created_at) + HOUR_MS);
    expect(await mailsTo(suite.n.gmail, user.email)).toHaveLength(2);
    const metrics = await request(service.app).get('/metrics');
    expect(metrics.text).toMatch(
      /notifications_capped_total\{[^}]*type="order_paid"[^}]*outcome="deferred"[^}]*\} 1/,
    );
  });

  it('when verification mails to victim+1@ and Victim+2@ pass the cap, they count as one mailbox and the extra one is skipped with the reason recipient_cap', async () => {
    const service = suite.track(startService(suite.n, { env: { NOTIFY_RECIPIENT_HOURLY_CAP: 1 } }));
    const local = mailbox();
    const one = await registerAt(`${local}+1@example.com`);
    const two = await registerAt(`${local.toUpperCase()}+2@example.com`);

    const first = await notify(service, verificationMail(one.id));
    const second = await notify(service, verificationMail(two.id));

    expect([first.body.status, second.body.status]).toEqual(['sent', 'skipped']);
    const skipped = await getNotification(service, two.id, second.body.notification_id);
    expect(skipped.last_error).toMatch(/^recipient_cap: /);
    expect(await mailsInMailbox(local)).toHaveLength(1);
    const metrics = await request(service.app).get('/metrics');
    expect(metrics.text).toMatch(
      /notifications_capped_total\{[^}]*type="email_verification"[^}]*outcome="skipped"[^}]*\} 1/,
    );
  });

  it('when the service restarts, the mails it sent within the hour still count against the cap (read from the database)', async () => {
    const dbPath = join(suite.dir, 'restart.sqlite');
    const env = { NOTIFY_RECIPIENT_HOURLY_CAP: 1, NOTIFICATION_DB_PATH: dbPath };
    const local = mailbox();
    const one = await registerAt(`${local}@example.com`);
    const two = await registerAt(`${local}+again@example.com`);
    const before = startService(suite.n, { env });
    const first = await notify(before, verificationMail(one.id));
    await before.close();

    const after = suite.track(startService(suite.n, { env }));
    const second = await notify(after, verificationMail(two.id));

    expect([first.body.status, second.body.status]).toEqual(['sent', 'skipped']);
    expect(await mailsInMailbox(local)).toHaveLength(1);
  });

  it('when a database of the previous version is opened, its recent mails count against the cap of their mailbox', async () => {
    const path = join(suite.dir, 'migrated.sqlite');
    const local = mailbox();
    const sentAt = new Date().toISOString();
    const old = openSqlite(path, MIGRATIONS.slice(0, 3));
    old
      .prepare(
        `INSERT INTO notifications (id, type, user_id, order_id, status, recipient, created_at, updated_at, sent_at, queued_since)
         VALUES ('n1', 'welcome', 'u1', NULL, 'sent', ?, ?, ?, ?, ?)`,
      )
      .run(`${local.toUpperCase()}+old@example.com`, sentAt, sentAt, sentAt, sentAt);
    old.close();
    const user = await registerAt(`${local}@example.com`);

    const service = suite.track(
      startService(suite.n, { env: { NOTIFY_RECIPIENT_HOURLY_CAP: 1, NOTIFICATION_DB_PATH: path } }),
    );
    const res = await notify(service, verificationMail(user.id));

    expect(res.body.status).toBe('skipped');
  });

  it('when the cap is 0, it is off: every mail to one mailbox goes out', async () => {
    const service = suite.track(startService(suite.n, { env: { NOTIFY_RECIPIENT_HOURLY_CAP: 0 } }));
    const user = await registerUser(suite.n);
    const orders = [await createOrder(suite.n, user.id), await createOrder(suite.n, user.id)];

    const answers = [];
    for (const order of orders) answers.push(await notify(service, { user_id: user.id, order_id: order.id }));

    expect(answers.map((a) => a.body.status)).toEqual(['sent', 'sent']);
  });
});

describe('a registration flood at one mailbox (real user-service calling the notification-service)', () => {
  it('when 36 registrations to victim+N@ come from three client addresses, the mailbox gets at most the cap (10) of welcome mails within the hour', async () => {
    const logger = createLogger('flood', 'silent');
    const notifyServer = await listenFirst(logger);
    const users = await startFloodedUserService(notifyServer.url, logger);
    const notifications = suite.track(startService(suite.n, { env: { USER_SERVICE_URL: users.url } })); // the default cap
    notifyServer.serve(notifications.app);
    try {
      const local = mailbox();
      const registered: string[] = [];
      for (let i = 0; i < 36; i++) {
        const res = await request(users.url)
          .post('/api/user')
          .set('X-Forwarded-For', `203.0.113.${(i % 3) + 1}`)
          .send({
            username: `flood${i}x${local.slice(-6)}`,
            email: `${local}+${i}@example.com`,
            password: 'correct horse 42',
          });
        if (res.status === 201) registered.push((res.body as { id: string }).id);
      }
      // Each registration asks for its welcome mail without waiting: wait until each one is settled.
      const settled = (id: string) =>
        ['sent', 'skipped'].includes(notifications.store.list({ user_id: id, limit: 1 })[0]?.status ?? '');
      await waitFor(
        'a sent or skipped welcome mail for every registered user',
        () => registered.every(settled),
        20_000,
      );

      expect(registered).toHaveLength(30); // the registration limit: 10 per client address per minute
      expect((await mailsInMailbox(local)).length).toBe(10);
    } finally {
      await users.close();
      await notifyServer.close();
    }
  });
});

/**
 * The real user-service with its default registration limit per client address, believing the
 * X-Forwarded-For of its local proxy (the test), its welcome calls going to `notificationUrl`.
 */
async function startFloodedUserService(
  notificationUrl: string,
  logger: ReturnType<typeof createLogger>,
): Promise<RunningServer> {
  const config = readUserConfig(
    testEnv('user-service', {
      USER_DB_PATH: ':memory:',
      BCRYPT_COST: 4,
      TRUST_PROXY: 'loopback',
      NOTIFICATION_SERVICE_URL: notificationUrl,
    }),
  );
  const deps = await buildUserDependencies(config, { logger });
  return listen(createUserApp(deps), logger, deps.close);
}
