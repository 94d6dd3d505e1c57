import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@shop/shared';
import { bearer, captureLogs, logLines, serviceToken } from '@shop/shared/testing';
import { deliverySuite } from './support/suite.ts';
import { listenFirst } from './support/listenFirst.ts';
import { createOrder, muteEmails, registerUser, verifyAddress } from './support/neighbours.ts';
import { counted, getNotification, notify, startService } from './support/service.ts';

// Mail held for an unverified address: the reason stored, the counters and log lines of holding,
// releasing and giving up, and the give-up moment to the millisecond (only `Date` is faked).
const suite = deliverySuite('notification-held-');
const HOUR_MS = 3_600_000;
const asUserService = bearer(serviceToken('user-service', 'notification-service'));
/** Minted when called: the tests move the clock past a token's lifetime. */
const asOperator = () => bearer(serviceToken('notification-service', 'notification-service'));

afterEach(() => {
  vi.useRealTimers();
});

function startLogged(env: Record<string, string | number> = {}) {
  const { logger, lines } = captureLogs('notification-service');
  const service = suite.track(startService(suite.n, { env: { LOG_LEVEL: 'info', ...env }, logger }));
  return { service, lines };
}

describe('holding a mail', () => {
  it('when a receipt is asked for an unverified address, it is answered held with its reason, counted held (not failed) and logged', async () => {
    const { service, lines } = startLogged();
    const user = await registerUser(suite.n, undefined, { verified: false });
    const order = await createOrder(suite.n, user.id);

    const res = await notify(service, { user_id: user.id, order_id: order.id });

    expect(res.body.status).toBe('held');
    const id = res.body.notification_id as string;
    // The time of the next look at a held mail is internal: only a mail on its way shows a next try.
    expect(await getNotification(service, user.id, id)).toMatchObject({
      status: 'held',
      last_error: 'Held until the user verifies their address.',
      next_attempt_at: null,
    });
    expect(await counted(service, 'notifications_total', { type: 'order_paid', status: 'held' })).toBe(1);
    expect(await counted(service, 'notifications_total', { type: 'order_paid', status: 'failed' })).toBe(0);
    expect(logLines(lines, 'notification held: the address is not verified')).toEqual([
      expect.objectContaining({ notification_id: id, type: 'order_paid' }),
    ]);
  });
});

describe('releasing held mail', () => {
  it('when the owner verifies, a held mail of a kind they muted meanwhile is skipped and counted, the other is sent, and the release is logged with its count', async () => {
    const { service, lines } = startLogged();
    const user = await registerUser(suite.n, undefined, { verified: false });
    const order = await createOrder(suite.n, user.id);
    await notify(service, { user_id: user.id, order_id: order.id });
    await notify(service, { user_id: user.id, type: 'welcome' });
    await muteEmails(suite.n, user.id, 'order_updates');
    await verifyAddress(suite.n, user);

    const res = await request(service.app)
      .post('/api/notify/address-verified')
      .set(asUserService)
      .send({ user_id: user.id });

    expect(res.body).toEqual({ released: 1 });
    expect(await counted(service, 'notifications_total', { type: 'order_paid', status: 'skipped' })).toBe(1);
    expect(await counted(service, 'notifications_total', { type: 'welcome', status: 'sent' })).toBe(1);
    expect(logLines(lines, 'held notifications released')).toEqual([
      expect.objectContaining({ user_id: user.id, released: 1 }),
    ]);
  });

  it('when the user-service reports a verified address of a user with nothing held, the answer is released 0 without asking it about the user (an unknown id too)', async () => {
    const { service } = startLogged();

    const res = await request(service.app)
      .post('/api/notify/address-verified')
      .set(asUserService)
      .send({ user_id: randomUUID() });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ released: 0 });
  });

  it("when the user-service cannot answer the worker's look at a held mail, the mail stays held and the failed look is logged with the user id", async () => {
    const dbPath = join(suite.dir, `held-${randomUUID()}.sqlite`);
    const first = suite.track(
      startService(suite.n, { env: { NOTIFICATION_DB_PATH: dbPath, NOTIFY_HELD_RECHECK_MS: 10 } }),
    );
    const user = await registerUser(suite.n, undefined, { verified: false });
    const id = (await notify(first, { user_id: user.id, type: 'welcome' })).body.notification_id as string;
    await first.close();
    const usersDown = await listenFirst(createLogger('test', 'silent')); // answers 503 to everything
    try {
      const { logger, lines } = captureLogs('notification-service');
      const second = suite.track(
        startService(suite.n, {
          env: {
            LOG_LEVEL: 'info',
            NOTIFICATION_DB_PATH: dbPath,
            USER_SERVICE_URL: usersDown.url,
            NOTIFY_HELD_RECHECK_MS: 10,
          },
          logger,
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 20)); // the held mail's look is due

      expect(await second.notifier.recheckHeld()).toBe(1);

      expect(second.store.get(id)?.status).toBe('held');
      expect(logLines(lines, 'held notifications not checked')).toEqual([
        expect.objectContaining({ level: 'warn', user_id: user.id }),
      ]);
    } finally {
      await usersDown.close();
    }
  });
});

describe('giving up a held mail', () => {
  it('with NOTIFICATION_GIVE_UP_AFTER_HOURS 1.5, a look 10 ms before leaves the mail held; the look at exactly 1.5 h gives it up: failed with its reason, counted gave_up, logged; a re-send answers it failed as it is (no message to send)', async () => {
    const { service, lines } = startLogged({
      NOTIFY_HELD_RECHECK_MS: 10,
      NOTIFICATION_GIVE_UP_AFTER_HOURS: '1.5',
    });
    const user = await registerUser(suite.n, undefined, { verified: false });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const start = Date.now();
    const id = (await notify(service, { user_id: user.id, type: 'welcome' })).body.notification_id as string;

    vi.setSystemTime(start + 1.5 * HOUR_MS - 10);
    expect(await service.notifier.recheckHeld()).toBe(1);
    expect(service.store.get(id)).toMatchObject({
      status: 'held',
      next_attempt_at: new Date(start + 1.5 * HOUR_MS).toISOString(),
    });

    vi.setSystemTime(start + 1.5 * HOUR_MS);
    expect(await service.notifier.recheckHeld()).toBe(1);

    expect(await getNotification(service, user.id, id)).toMatchObject({
      status: 'failed',
      last_error: 'gave up: the address was not verified in time',
    });
    expect(await counted(service, 'notifications_total', { type: 'welcome', status: 'gave_up' })).toBe(1);
    expect(logLines(lines, 'held notification given up')).toEqual([
      expect.objectContaining({ level: 'warn', notification_id: id, type: 'welcome' }),
    ]);

    const resend = await request(service.app).post(`/api/notifications/${id}/resend`).set(asOperator());
    expect(resend.status).toBe(202);
    expect(resend.body).toMatchObject({ id, status: 'failed' });
    expect(await counted(service, 'notifications_total', { type: 'welcome', status: 'queued' })).toBe(0);
  });
});
