import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { captureLogs } from '@shop/shared/testing';
import type { FaultRequest } from '@shop/gmail-sandbox';
import { deliverySuite } from './support/suite.ts';
import { armGmailFault, createOrder, registerUser } from './support/neighbours.ts';
import { notify, startService } from './support/service.ts';

// The retry schedule a failed try stores, and the log lines and counters operators read: the
// scenario tests see "delivered in the end", which any retry delay would also give.
const suite = deliverySuite('notification-schedule-');

type Env = Record<string, string | number>;

/** One notify call whose inline try meets `fault`; the stored row, the log lines and the clock around it. */
async function notifyMeeting(fault: FaultRequest, env: Env) {
  const { logger, lines } = captureLogs('notification-service');
  const service = suite.track(startService(suite.n, { env: { LOG_LEVEL: 'info', ...env }, logger }));
  const user = await registerUser(suite.n);
  const order = await createOrder(suite.n, user.id);
  await armGmailFault(suite.n.gmail, fault);
  const before = Date.now();
  const res = await notify(service, { user_id: user.id, order_id: order.id });
  const after = Date.now();
  const id = res.body.notification_id as string;
  const logs = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { service, res, id, row: () => service.store.get(id)!, before, after, logs };
}

const at = (iso: string | null) => new Date(iso!).getTime();

describe('the retry schedule a failed try stores', () => {
  it('when drafts.create answers 503 (nothing sent), the mail is queued NOTIFY_RETRY_BASE_MS ahead without a draft check, and the log names kind, reason and next try', async () => {
    const { res, row, before, after, logs } = await notifyMeeting(
      { mode: 'error', status: 503, count: 1, operation: 'drafts.create' },
      { NOTIFY_RETRY_BASE_MS: 60_000, NOTIFY_RETRY_MAX_MS: 600_000 },
    );

    expect(res.status).toBe(202);
    const queued = row();
    expect(queued).toMatchObject({
      status: 'queued',
      attempts: 1,
      unavailable_failures: 1,
      blocked_failures: 0,
      verify_before_send: false,
    });
    expect(at(queued.next_attempt_at)).toBeGreaterThanOrEqual(before + 60_000);
    expect(at(queued.next_attempt_at)).toBeLessThanOrEqual(after + 60_000);
    const line = logs().find((l) => l.msg === 'notification queued for retry');
    expect(line).toMatchObject({
      level: 'warn',
      notification_id: queued.id,
      type: queued.type,
      attempts: 1,
      failure_kind: 'unavailable',
      next_attempt_at: queued.next_attempt_at,
    });
    expect(line?.reason).toContain('Gmail answered 503');
  });

  it('when drafts.send answers 500 (Gmail may have sent it), the next try waits at least the Gmail send timeout and checks the draft first', async () => {
    const { row, before, after } = await notifyMeeting(
      { mode: 'error', status: 500, count: 1, operation: 'drafts.send' },
      { NOTIFY_RETRY_BASE_MS: 10, NOTIFY_RETRY_MAX_MS: 40, GMAIL_SEND_TIMEOUT_MS: 30_000 },
    );

    const queued = row();
    expect(queued).toMatchObject({ status: 'queued', verify_before_send: true });
    expect(queued.gmail_draft_id).not.toBeNull();
    expect(at(queued.next_attempt_at)).toBeGreaterThanOrEqual(before + 30_000);
    expect(at(queued.next_attempt_at)).toBeLessThanOrEqual(after + 30_000);
  });

  it("when Gmail answers 429 with Retry-After 120 s, the mail is blocked for Gmail's 120 s, not the shorter blocked back-off", async () => {
    const { row, before, after } = await notifyMeeting(
      { mode: 'error', status: 429, count: 1, retry_after_s: 120 },
      { NOTIFY_BLOCKED_RETRY_BASE_MS: 5_000, NOTIFY_BLOCKED_RETRY_MAX_MS: 600_000 },
    );

    const queued = row();
    expect(queued).toMatchObject({ status: 'queued', blocked_failures: 1, unavailable_failures: 0 });
    expect(at(queued.next_attempt_at)).toBeGreaterThanOrEqual(before + 120_000);
    expect(at(queued.next_attempt_at)).toBeLessThanOrEqual(after + 120_000);
  });

  it('when Gmail answers 429 without Retry-After, the mail waits NOTIFY_BLOCKED_RETRY_BASE_MS, not the unavailable back-off', async () => {
    const { row, before, after } = await notifyMeeting(
      { mode: 'error', status: 429, count: 1 },
      { NOTIFY_BLOCKED_RETRY_BASE_MS: 45_000, NOTIFY_RETRY_BASE_MS: 10 },
    );

    expect(at(row().next_attempt_at)).toBeGreaterThanOrEqual(before + 45_000);
    expect(at(row().next_attempt_at)).toBeLessThanOrEqual(after + 45_000);
  });

  it('when the retry fails too, the delay doubles: the second failure waits twice NOTIFY_RETRY_BASE_MS', async () => {
    const { service, row } = await notifyMeeting(
      { mode: 'error', status: 503, count: 2, operation: 'drafts.create' },
      { NOTIFY_RETRY_BASE_MS: 300, NOTIFY_RETRY_MAX_MS: 600_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, at(row().next_attempt_at) - Date.now() + 20));

    const before = Date.now();
    expect(await service.delivery.runDue()).toBe(1);
    const after = Date.now();

    const queued = row();
    expect(queued).toMatchObject({ status: 'queued', attempts: 2, unavailable_failures: 2 });
    expect(at(queued.next_attempt_at)).toBeGreaterThanOrEqual(before + 600);
    expect(at(queued.next_attempt_at)).toBeLessThanOrEqual(after + 600);
  });
});

describe('failures operators must see', () => {
  it('when Gmail refuses the mail (400), it fails at once: no retry, logged at error without operator_action, counted failed', async () => {
    const { service, res, row, logs } = await notifyMeeting(
      { mode: 'error', status: 400, count: 1, operation: 'drafts.create' },
      {},
    );

    expect(res.body.status).toBe('failed');
    expect(row()).toMatchObject({ status: 'failed', next_attempt_at: null });
    expect(logs().find((l) => l.msg === 'notification failed')).toMatchObject({
      level: 'error',
      notification_id: res.body.notification_id,
      operator_action: false,
    });
    const metrics = await request(service.app).get('/metrics');
    expect(metrics.text).toMatch(/notifications_total\{[^}]*status="failed"[^}]*\} 1\b/);
  });

  it('a mail still unsent when NOTIFICATION_GIVE_UP_AFTER_HOURS ends is tried last at that moment, then given up for an operator: failed, logged, counted gave_up', async () => {
    const { service, row, logs } = await notifyMeeting(
      { mode: 'error', status: 503, count: 2, operation: 'drafts.create' },
      { NOTIFICATION_GIVE_UP_AFTER_HOURS: '0.0001', NOTIFY_RETRY_BASE_MS: 60_000 },
    );
    const giveUpAt = at(row().queued_since) + 360;
    expect(at(row().next_attempt_at)).toBeLessThanOrEqual(giveUpAt);
    await new Promise((resolve) => setTimeout(resolve, giveUpAt - Date.now() + 20));

    await service.delivery.runDue();

    const failed = row();
    expect(failed.status).toBe('failed');
    expect(failed.last_error).toContain('(gave up: not sent within 0 h)');
    expect(logs().find((l) => l.operator_action === true)).toMatchObject({
      level: 'error',
      notification_id: failed.id,
      msg: 'notification given up: an operator must look (re-send with POST /api/notifications/:id/resend)',
    });
    const metrics = await request(service.app).get('/metrics');
    expect(metrics.text).toMatch(/notifications_total\{[^}]*status="gave_up"[^}]*\} 1\b/);
  });
});
