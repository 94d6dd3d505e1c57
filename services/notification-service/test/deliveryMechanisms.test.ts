import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureLogs, holdWriteLock, logLines } from '@shop/shared/testing';
import type { FaultRequest } from '@shop/gmail-sandbox';
import { deliverySuite } from './support/suite.ts';
import { armGmailFault, mailsTo, registerUser, waitFor } from './support/neighbours.ts';
import { counted, gmailCall, notify, startService } from './support/service.ts';

// How delivery reaches its decisions, not only where it ends: the times stored for the next try,
// the give-up moment to the millisecond, the counters and log lines operators read. Time is moved
// by faking only `Date` (timers stay real), so an hour passes between two lines of a test.
const suite = deliverySuite('notification-mechanisms-');
const HOUR_MS = 3_600_000;

afterEach(() => {
  vi.useRealTimers();
});

/** A service whose log lines are kept; its notify meets `fault` (if any), with the clock frozen at that moment. */
async function notifyMeeting(fault: FaultRequest | undefined, env: Record<string, string | number>) {
  const { logger, lines } = captureLogs('notification-service');
  const service = suite.track(startService(suite.n, { env: { LOG_LEVEL: 'info', ...env }, logger }));
  const user = await registerUser(suite.n);
  if (fault) await armGmailFault(suite.n.gmail, fault);
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  const start = Date.now();
  const res = await notify(service, { user_id: user.id, type: 'welcome' });
  const id = res.body.notification_id as string;
  const row = () => service.store.get(id)!;
  /** Moves the clock to `ms` after the notify call and runs the worker's pass once. */
  const runDueAt = async (ms: number) => {
    vi.setSystemTime(start + ms);
    return service.delivery.runDue();
  };
  return { service, user, res, id, row, start, lines, runDueAt };
}

const at = (iso: string | null) => new Date(iso!).getTime();

describe('the retry schedule and the give-up moment', () => {
  it('with a 1 h retry base and NOTIFICATION_GIVE_UP_AFTER_HOURS 1.5, a mail Gmail keeps refusing with 503 is retried after 1 h, then at the give-up time (not 2 h later), and given up exactly then "within 1.5 h"', async () => {
    const { service, row, start, lines, runDueAt } = await notifyMeeting(
      { mode: 'error', status: 503, count: 3, operation: 'drafts.create' },
      {
        NOTIFY_RETRY_BASE_MS: HOUR_MS,
        NOTIFY_RETRY_MAX_MS: 24 * HOUR_MS,
        NOTIFICATION_GIVE_UP_AFTER_HOURS: '1.5',
      },
    );
    expect(at(row().queued_since)).toBe(start);
    expect(at(row().next_attempt_at)).toBe(start + HOUR_MS);

    expect(await runDueAt(HOUR_MS)).toBe(1);
    // The doubled back-off (2 h) would pass the give-up time: the last try comes at that time.
    expect(row()).toMatchObject({ status: 'queued', attempts: 2 });
    expect(at(row().next_attempt_at)).toBe(start + 1.5 * HOUR_MS);
    expect(await counted(service, 'notifications_total', { type: 'welcome', status: 'queued' })).toBe(2);

    expect(await runDueAt(1.5 * HOUR_MS)).toBe(1);
    expect(row()).toMatchObject({ status: 'failed', attempts: 3, next_attempt_at: null });
    expect(row().last_error).toMatch(/^Gmail answered 503.* \(gave up: not sent within 1\.5 h\)$/);
    expect(await counted(service, 'notifications_total', { type: 'welcome', status: 'gave_up' })).toBe(1);
    // Gmail's refusals are expected failures, not the "unexpected" kind.
    expect(logLines(lines, 'unexpected delivery error')).toEqual([]);
  });

  it('with NOTIFICATION_GIVE_UP_AFTER_HOURS 1.234, the give-up reason rounds the hours to two decimals: "within 1.23 h"', async () => {
    const { row, runDueAt } = await notifyMeeting(
      { mode: 'error', status: 503, count: 2, operation: 'drafts.create' },
      {
        NOTIFY_RETRY_BASE_MS: HOUR_MS,
        NOTIFY_RETRY_MAX_MS: 24 * HOUR_MS,
        NOTIFICATION_GIVE_UP_AFTER_HOURS: '1.234',
      },
    );

    await runDueAt(1.234 * HOUR_MS);

    expect(row().status).toBe('failed');
    expect(row().last_error).toMatch(/\(gave up: not sent within 1\.23 h\)$/);
  });

  it('when Gmail answers 429 twice, the second blocked wait is twice NOTIFY_BLOCKED_RETRY_BASE_MS', async () => {
    const { row, start, runDueAt } = await notifyMeeting(
      { mode: 'error', status: 429, count: 2, operation: 'drafts.create' },
      { NOTIFY_BLOCKED_RETRY_BASE_MS: 60_000, NOTIFY_BLOCKED_RETRY_MAX_MS: HOUR_MS },
    );
    expect(at(row().next_attempt_at)).toBe(start + 60_000);

    await runDueAt(60_000);

    expect(row()).toMatchObject({ status: 'queued', blocked_failures: 2 });
    expect(at(row().next_attempt_at)).toBe(start + 60_000 + 120_000);
  });

  it('when the draft of a send Gmail did not answer is gone by the retry (Gmail sent it), the retry marks it sent without a send, logged as found already sent', async () => {
    const { row, lines, runDueAt, id } = await notifyMeeting(
      { mode: 'error', status: 500, count: 1, operation: 'drafts.send' },
      { GMAIL_SEND_TIMEOUT_MS: 1_000 },
    );
    expect(row()).toMatchObject({ status: 'queued', verify_before_send: true });
    await gmailCall(suite.n, 'POST', '/drafts/send', { id: row().gmail_draft_id });

    await runDueAt(1_000);

    expect(row()).toMatchObject({ status: 'sent', gmail_message_id: null });
    expect(logLines(lines, 'notification found already sent: its draft is gone at Gmail')).toEqual([
      expect.objectContaining({ notification_id: id, type: 'welcome', attempts: 2, gmail_message_id: null }),
    ]);
  });
});

describe('the send itself: which draft is sent, which message id is kept', () => {
  it('when Gmail takes the mail at once, the row keeps the id of the message Gmail made, logged as notification sent', async () => {
    const { lines, row, id, user } = await notifyMeeting(undefined, {});

    const [message] = await mailsTo(suite.n.gmail, user.email);

    expect(row()).toMatchObject({ status: 'sent', gmail_message_id: message!.id });
    expect(logLines(lines, 'notification sent')).toEqual([
      expect.objectContaining({ notification_id: id, attempts: 1, gmail_message_id: message!.id }),
    ]);
  });

  it('when drafts.send answers 503 (nothing sent), the retry sends the draft it recorded: no second draft, one mail', async () => {
    const { row, runDueAt, user } = await notifyMeeting(
      { mode: 'error', status: 503, count: 1, operation: 'drafts.send' },
      {},
    );
    const draftId = row().gmail_draft_id!;
    expect(row()).toMatchObject({ status: 'queued', verify_before_send: false });

    await runDueAt(1_000);

    expect(row()).toMatchObject({ status: 'sent', gmail_draft_id: draftId });
    // drafts.send deletes the draft it sends: the recorded one is gone, so it was the one sent.
    await expect(gmailCall(suite.n, 'GET', `/drafts/${draftId}`)).rejects.toThrow(/answered 404/);
    expect(await mailsTo(suite.n.gmail, user.email)).toHaveLength(1);
  });

  it('when drafts.create answers 500 (Gmail may have made a draft, its id unknown), the retry makes a draft and sends it: one mail, not a check of a draft it does not know', async () => {
    const { row, runDueAt, user } = await notifyMeeting(
      { mode: 'error', status: 500, count: 1, operation: 'drafts.create' },
      {},
    );
    expect(row()).toMatchObject({ status: 'queued', verify_before_send: true, gmail_draft_id: null });

    await runDueAt(1_000);

    const mails = await mailsTo(suite.n.gmail, user.email);
    expect(mails).toHaveLength(1);
    expect(row()).toMatchObject({ status: 'sent', gmail_message_id: mails[0]!.id });
  });

  it('when the recorded draft was sent by someone else before the retry (drafts.send answers 404), the mail is marked sent without a second copy, logged as found already sent', async () => {
    const { row, lines, runDueAt, id, user } = await notifyMeeting(
      { mode: 'error', status: 503, count: 1, operation: 'drafts.send' },
      {},
    );
    expect(row()).toMatchObject({ status: 'queued', verify_before_send: false });
    await gmailCall(suite.n, 'POST', '/drafts/send', { id: row().gmail_draft_id });

    await runDueAt(1_000);

    expect(row()).toMatchObject({ status: 'sent', gmail_message_id: null });
    expect(logLines(lines, 'notification found already sent: its draft is gone at Gmail')).toEqual([
      expect.objectContaining({ notification_id: id, attempts: 2 }),
    ]);
    expect(logLines(lines, 'notification sent')).toEqual([]);
    expect(await mailsTo(suite.n.gmail, user.email)).toHaveLength(1);
  });
});

describe('errors that are not Gmail answers', () => {
  it('when the database is locked by another process while the inline try waits for Gmail, notify answers 503 store_busy, the row stays in `sending` for the worker, and no "unexpected delivery error" is logged', async () => {
    const dbPath = join(suite.dir, `locked-${randomUUID()}.sqlite`);
    const { logger, lines } = captureLogs('notification-service');
    const service = suite.track(
      startService(suite.n, {
        env: { LOG_LEVEL: 'info', NOTIFICATION_DB_PATH: dbPath, NOTIFY_INLINE_SEND_TIMEOUT_MS: 10_000 },
        logger,
      }),
    );
    const user = await registerUser(suite.n);
    await armGmailFault(suite.n.gmail, {
      mode: 'slow',
      count: 1,
      delay_ms: 2_500,
      operation: 'drafts.create',
    });

    const answer = notify(service, { user_id: user.id, type: 'welcome' }).then((res) => res);
    const sending = await waitFor('the row in sending', () =>
      service.store.findByKey('welcome', user.id, null),
    );
    const lock = await holdWriteLock(dbPath);
    try {
      const res = await answer;
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('store_busy');
    } finally {
      await lock.release();
    }
    expect(service.store.get(sending.id)).toMatchObject({ status: 'sending', gmail_draft_id: null });
    expect(logLines(lines, 'unexpected delivery error')).toEqual([]);
  });

  it('when the database is closed under a try (a shutdown mid-request), the error is logged as an unexpected delivery error naming the notification', async () => {
    const { logger, lines } = captureLogs('notification-service');
    const service = suite.track(
      startService(suite.n, { env: { LOG_LEVEL: 'info', NOTIFY_INLINE_SEND_TIMEOUT_MS: 10_000 }, logger }),
    );
    const user = await registerUser(suite.n);
    await armGmailFault(suite.n.gmail, { mode: 'slow', count: 1, delay_ms: 300, operation: 'drafts.create' });

    const answer = notify(service, { user_id: user.id, type: 'welcome' }).then((res) => res);
    const sending = await waitFor('the row in sending', () =>
      service.store.findByKey('welcome', user.id, null),
    );
    service.store.close();

    expect((await answer).status).toBe(500);
    expect(logLines(lines, 'unexpected delivery error')).toEqual([
      expect.objectContaining({ level: 'error', notification_id: sending.id }),
    ]);
  });
});

describe('the delivery worker', () => {
  it('logs its start under the name delivery-worker', async () => {
    const { logger, lines } = captureLogs('notification-service');
    const service = suite.track(startService(suite.n, { env: { LOG_LEVEL: 'info' }, logger }));

    service.worker.start();
    await service.worker.stop();

    expect(logLines(lines, 'worker started')).toEqual([
      expect.objectContaining({ worker: 'delivery-worker' }),
    ]);
  });

  it('when stopped during a pass, it finishes the try in progress and leaves the other due mails and the held mails for the next start', async () => {
    const service = suite.track(
      startService(suite.n, { env: { NOTIFY_HELD_RECHECK_MS: 10, GMAIL_SEND_TIMEOUT_MS: 10_000 } }),
    );
    const users = await Promise.all([1, 2, 3].map(() => registerUser(suite.n)));
    await armGmailFault(suite.n.gmail, { mode: 'error', status: 503, count: 3, operation: 'drafts.create' });
    const ids: string[] = [];
    for (const user of users) {
      ids.push((await notify(service, { user_id: user.id, type: 'welcome' })).body.notification_id as string);
    }
    const unverified = await registerUser(suite.n, undefined, { verified: false });
    const heldId = (await notify(service, { user_id: unverified.id, type: 'welcome' })).body
      .notification_id as string;
    const heldBefore = service.store.get(heldId)!;
    await new Promise((resolve) => setTimeout(resolve, 50)); // all three retries and the held look are due
    await armGmailFault(suite.n.gmail, { mode: 'slow', count: 1, delay_ms: 500, operation: 'drafts.create' });

    service.worker.start();
    await waitFor('a try in progress', () => ids.some((id) => service.store.get(id)?.status === 'sending'));
    await service.worker.stop();

    const statuses = ids.map((id) => service.store.get(id)!.status).sort();
    expect(statuses).toEqual(['queued', 'queued', 'sent']);
    expect(service.store.get(heldId)).toEqual(heldBefore);
  });
});
