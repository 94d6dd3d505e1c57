import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { captureLogs } from '@shop/shared/testing';
import type { User } from '@shop/shared/contracts';
import { composeMime } from '../src/domain/composeMime.ts';
import { deliverySuite } from './support/suite.ts';
import {
  armGmailFault,
  clearGmailFaults,
  createOrder,
  mailsTo,
  registerUser,
  waitFor,
} from './support/neighbours.ts';
import {
  FAST_BLOCKED_RETRY,
  SENDER,
  getNotification,
  gmailCall,
  notify,
  startService,
} from './support/service.ts';

const suite = deliverySuite('notification-service-');
const { track } = suite;

describe('delivery when Gmail fails', () => {
  it('when Gmail answers 503 once, notify answers 202 queued, and the worker then delivers exactly one mail', async () => {
    const service = track(startService(suite.n));
    const user = await registerUser(suite.n);
    const order = await createOrder(suite.n, user.id);
    await armGmailFault(suite.n.gmail, { mode: 'error', count: 1, status: 503 });

    const res = await notify(service, { user_id: user.id, order_id: order.id });

    expect(res.status).toBe(202);
    expect(res.body.status).toBe('queued');
    const queued = await getNotification(service, user.id, res.body.notification_id);
    expect(queued).toMatchObject({ status: 'queued', attempts: 1, sent_at: null });
    expect(queued.last_error).toContain('503');
    expect(queued.next_attempt_at).not.toBeNull();
    expect(await mailsTo(suite.n.gmail, user.email)).toEqual([]);

    service.worker.start();
    const sent = await waitFor('the retry to be sent', async () => {
      const current = await getNotification(service, user.id, res.body.notification_id);
      return current.status === 'sent' && current;
    });

    expect(sent).toMatchObject({ attempts: 2, next_attempt_at: null });
    expect(sent.sent_at).not.toBeNull();
    expect(await mailsTo(suite.n.gmail, user.email)).toHaveLength(1);
    const again = await notify(service, { user_id: user.id, order_id: order.id });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ notification_id: res.body.notification_id, status: 'sent' });
    expect(await mailsTo(suite.n.gmail, user.email)).toHaveLength(1);
  });

  it('when Gmail is down across a restart, the mail queued before it is delivered once by the restarted service', async () => {
    const dbPath = join(suite.dir, `restart-${randomUUID()}.sqlite`);
    const first = startService(suite.n, { env: { NOTIFICATION_DB_PATH: dbPath } });
    const user = await registerUser(suite.n);
    const order = await createOrder(suite.n, user.id);
    await armGmailFault(suite.n.gmail, { mode: 'error' }); // every send fails until cleared

    const res = await notify(first, { user_id: user.id, order_id: order.id });
    expect(res.status).toBe(202);
    await first.close();

    await clearGmailFaults(suite.n.gmail);
    const second = track(startService(suite.n, { env: { NOTIFICATION_DB_PATH: dbPath } }));
    second.worker.start();
    await waitFor(
      'the restarted worker to send the queued mail',
      async () => (await getNotification(second, user.id, res.body.notification_id)).status === 'sent',
    );

    expect(await mailsTo(suite.n.gmail, user.email)).toHaveLength(1);
    const again = await notify(second, { user_id: user.id, order_id: order.id });
    expect(again.body).toEqual({ notification_id: res.body.notification_id, status: 'sent' });
  });

  it('when Gmail refuses the message itself (a 400), it is marked failed at once and not retried', async () => {
    const service = track(startService(suite.n));
    const user = await registerUser(suite.n);
    await armGmailFault(suite.n.gmail, { mode: 'error', status: 400, count: 1 });

    const res = await notify(service, { user_id: user.id, type: 'welcome' });
    await service.delivery.runDue();

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('failed');
    const stored = await getNotification(service, user.id, res.body.notification_id);
    expect(stored).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await mailsTo(suite.n.gmail, user.email)).toEqual([]);
  });

  it('when the OAuth refresh fails with invalid_grant, it is logged as a configuration problem and the mail stays queued', async () => {
    const { logger, lines } = captureLogs('notification-service');
    const service = track(startService(suite.n, { logger, env: FAST_BLOCKED_RETRY }));
    const user = await registerUser(suite.n);
    await armGmailFault(suite.n.gmail, { mode: 'invalid_grant', count: 1 });

    const res = await notify(service, { user_id: user.id, type: 'welcome' });

    expect(res.status).toBe(202);
    const stored = await getNotification(service, user.id, res.body.notification_id);
    expect(stored.last_error).toBe(
      'Gmail OAuth token refresh failed: invalid_grant (Token has been expired or revoked.)',
    );
    const logged = lines.map((line) => JSON.parse(line) as { level: string; msg: string; reason?: string });
    const problem = logged.find((l) => l.level === 'error' && /configuration problem/.test(l.msg));
    expect(problem?.msg).toMatch(/GMAIL_REFRESH_TOKEN/);
    expect(problem?.reason).toMatch(/invalid_grant/);
    expect(lines.join('\n')).not.toContain('sandbox-refresh-token');

    service.worker.start();
    await waitFor(
      'the mail to go out once the grant works again',
      async () => (await getNotification(service, user.id, res.body.notification_id)).status === 'sent',
    );
    expect(await mailsTo(suite.n.gmail, user.email)).toHaveLength(1);
  });
});

describe('delivery when a send may have gone through', () => {
  it('when Gmail is slower than the timeout but does send the draft, the retry finds the draft gone and sends no second copy', async () => {
    const service = track(startService(suite.n, { env: { NOTIFY_INLINE_SEND_TIMEOUT_MS: 200 } }));
    const user = await registerUser(suite.n);
    await armGmailFault(suite.n.gmail, { mode: 'slow', count: 1, delay_ms: 500, operation: 'drafts.send' });

    const res = await notify(service, { user_id: user.id, type: 'welcome' });
    expect(res.status).toBe(202);
    expect((await getNotification(service, user.id, res.body.notification_id)).last_error).toBe(
      'Gmail did not answer within 200 ms',
    );
    // The sandbox stores the slow message once its delay is over, as Gmail would.
    await waitFor(
      'the slow send to land',
      async () => (await mailsTo(suite.n.gmail, user.email)).length === 1,
    );

    service.worker.start();
    await waitFor(
      'the worker to settle the notification',
      async () => (await getNotification(service, user.id, res.body.notification_id)).status === 'sent',
    );

    expect(await mailsTo(suite.n.gmail, user.email)).toHaveLength(1);
  });

  it('when Gmail takes an unanswered mail only after the first retry was due, the retry waits a send timeout, finds it, and sends no second copy (1 mail)', async () => {
    const service = track(
      startService(suite.n, {
        env: { NOTIFY_INLINE_SEND_TIMEOUT_MS: 200, GMAIL_SEND_TIMEOUT_MS: 1_000 },
      }),
    );
    service.worker.start(); // running all along: without the wait it would retry 10 ms after the timeout
    const user = await registerUser(suite.n);
    await armGmailFault(suite.n.gmail, { mode: 'slow', count: 1, delay_ms: 700, operation: 'drafts.send' });

    const res = await notify(service, { user_id: user.id, type: 'welcome' });
    expect(res.status).toBe(202);
    await waitFor(
      'the worker to settle the notification',
      async () => (await getNotification(service, user.id, res.body.notification_id)).status === 'sent',
    );

    // The slow send lands 700 ms after it began, whenever the retry ran: let a second copy show up.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await mailsTo(suite.n.gmail, user.email)).toHaveLength(1);
    expect((await getNotification(service, user.id, res.body.notification_id)).attempts).toBe(2);
  });

  it('when the service died mid-send after Gmail took the mail, the restarted worker marks it sent without sending again', async () => {
    const dbPath = join(suite.dir, `crash-${randomUUID()}.sqlite`);
    const user = await registerUser(suite.n);
    // What a crash leaves: the row in `sending` (its lease long over), its draft recorded and
    // already sent by Gmail.
    const { id, draftId, crashed } = await leaveSendingRow(dbPath, user, new Date(Date.now() - 60_000));
    await gmailCall(suite.n, 'POST', '/drafts/send', { id: draftId });
    await crashed.close();

    const restarted = track(startService(suite.n, { env: { NOTIFICATION_DB_PATH: dbPath } }));
    await restarted.delivery.runDue();

    const settled = await getNotification(restarted, user.id, id);
    expect(settled).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await mailsTo(suite.n.gmail, user.email)).toHaveLength(1);
  });

  it('when the service died mid-send before Gmail got the mail, the restarted worker sends it once', async () => {
    const dbPath = join(suite.dir, `crash-${randomUUID()}.sqlite`);
    const user = await registerUser(suite.n);
    const { id, crashed } = await leaveSendingRow(dbPath, user, new Date());
    await crashed.close();

    const restarted = track(startService(suite.n, { env: { NOTIFICATION_DB_PATH: dbPath } }));
    await restarted.delivery.runDue();

    expect((await getNotification(restarted, user.id, id)).status).toBe('sent');
    expect(await mailsTo(suite.n.gmail, user.email)).toHaveLength(1);
  });
});

/**
 * What a service that died mid-send leaves behind: a welcome mail's row in `sending` whose lease is
 * over, its Gmail draft created and recorded (not sent). The service that wrote it is returned
 * open; the test closes it.
 */
async function leaveSendingRow(dbPath: string, user: User, createdAt: Date) {
  const id = randomUUID();
  const mime = await composeMime(
    { notificationId: id, from: SENDER, to: { name: user.username, address: user.email }, date: new Date() },
    { subject: 'Welcome', text: 'Hello', html: '<p>Hello</p>' },
  );
  const crashed = startService(suite.n, { env: { NOTIFICATION_DB_PATH: dbPath } });
  crashed.store.insertOnce({
    id,
    type: 'welcome',
    user_id: user.id,
    order_id: null,
    reference: null,
    recipient: user.email,
    mailbox: user.email,
    created_at: createdAt.toISOString(),
    initial: { status: 'sending', mime, lease_until: new Date(Date.now() - 1_000).toISOString() },
  });
  const draft = (await gmailCall(suite.n, 'POST', '/drafts', {
    message: { raw: mime.toString('base64url') },
  })) as {
    id: string;
  };
  crashed.store.recordDraft(id, draft.id, new Date().toISOString());
  return { id, draftId: draft.id, crashed };
}
