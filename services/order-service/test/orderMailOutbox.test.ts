import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '@shop/shared/contracts';
import { logLines, metricSample, waitUntil } from '@shop/shared/testing';
import { openOrderDatabase, openOrderStore } from '../src/data/sqliteOrderStore.ts';
import { LAPTOP, asUser, buildApp, newUserId, placeOrder } from './helpers.ts';
import { orderMailKit } from './orderMailKit.ts';

const { cleanUp, onCleanUp, startStandIn, startOrders } = orderMailKit({ worker: true });
afterEach(cleanUp);

function scratchDir() {
  const dir = mkdtempSync(join(tmpdir(), 'order-mails-'));
  onCleanUp(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('the owed order_created mail request', () => {
  it('when the notification-service answers 503 as orders are created, each order is 201 at once and, once it answers, each gets exactly one accepted request, every try carrying the order', async () => {
    const standIn = await startStandIn('unavailable');
    const orders = startOrders({ notificationServiceUrl: standIn.server.url });
    const userId = newUserId();

    const created: Order[] = [];
    for (let i = 0; i < 3; i++) created.push(await placeOrder(orders.app, userId));
    await waitUntil(() => created.every((o) => standIn.callsFor(o.id) >= 1), { what: 'the first tries' });
    standIn.answer = 'accept';

    await waitUntil(() => standIn.mails.size === 3, { what: 'a request of each order accepted' });
    for (const order of created) {
      await waitUntil(() => orders.store.owedMails.find(order.id)?.state === 'done', {
        what: `order ${order.id}'s row done`,
      });
    }
    for (const order of created) {
      const calls = standIn.received.filter((r) => r.order_id === order.id);
      expect(calls.filter((c) => c.answered === 'accept')).toHaveLength(1);
      expect(calls.at(-1)?.answered).toBe('accept');
      // The worker's tries read the order from the store and send it, as the creator's try does.
      expect(calls.map((c) => c.order)).toEqual(calls.map(() => order));
    }
    expect(standIn.mails.size).toBe(3);
    const retried = logLines(orders.lines, 'order_created mail request failed; will retry');
    expect(retried.length).toBeGreaterThanOrEqual(3);
    expect(retried[0]).toMatchObject({ level: 'warn', status: 503 });
    const metrics = (await request(orders.app).get('/metrics')).text;
    expect(metricSample(metrics, 'order_mail_requests_total', { outcome: 'sent' })).toBe(3);
  });

  it('when a try times out, it is tried again and the order still gets one mail: the stand-in sees two calls and the row ends done', async () => {
    const standIn = await startStandIn('hang');
    const orders = startOrders({ notificationServiceUrl: standIn.server.url, mailTimeoutMs: 100 });
    const order = await placeOrder(orders.app, newUserId());
    await waitUntil(() => standIn.callsFor(order.id) === 1, { what: 'the first try' });
    standIn.answer = 'accept';

    await waitUntil(() => standIn.mails.size === 1, { what: 'the request accepted' });
    await waitUntil(() => orders.store.owedMails.find(order.id)?.state === 'done', { what: 'its row done' });
    expect(standIn.callsFor(order.id)).toBe(2);
    expect(standIn.mails.size).toBe(1);
    expect(orders.store.owedMails.find(order.id)).toMatchObject({ state: 'done', attempts: 2 });
    expect(logLines(orders.lines, 'order_created mail request failed; will retry')).toHaveLength(1);
  });

  it('when 8 requests are already in flight, a new order does not add a ninth: its row is due for the worker at once, which sends it', async () => {
    const standIn = await startStandIn('hang');
    // A long call timeout: the eight stay in flight however slow the run (they are released at the end).
    // The worker starts only once the ninth's row was read: running, it could claim the row (and hold
    // it, as a creator's try does) between the order's answer and the test's look at it.
    const orders = startOrders({
      notificationServiceUrl: standIn.server.url,
      mailTimeoutMs: 30_000,
      worker: false,
    });
    const userId = newUserId();
    const first: Order[] = [];
    for (let i = 0; i < 8; i++) first.push(await placeOrder(orders.app, userId));
    await waitUntil(() => standIn.received.length === 8, { what: 'the eight tries hanging' });

    const createdAt = Date.now();
    const ninth = await placeOrder(orders.app, userId);

    // The creators' tries hold their rows past their timeout; the ninth was left to the worker, due now.
    for (const order of first) {
      expect(orders.store.owedMails.find(order.id)!.next_attempt_at).toBeGreaterThan(createdAt);
    }
    expect(orders.store.owedMails.find(ninth.id)!.next_attempt_at).toBeLessThanOrEqual(Date.now());
    // Its creator made no try: with the worker stopped, nothing is sent for it.
    await sleep(100);
    expect(standIn.callsFor(ninth.id)).toBe(0);

    orders.deps.orderMails.worker.start();
    await waitUntil(() => standIn.callsFor(ninth.id) === 1, { what: "the worker's try of the ninth" });
    // Only the worker's, once: its try holds the row.
    await sleep(100);
    expect(standIn.callsFor(ninth.id)).toBe(1);
    expect(standIn.received).toHaveLength(9);
    // So that stopping the service does not wait for the calls' timeout: the tries end, and their
    // repeats are answered.
    standIn.answer = 'accept';
    standIn.releaseHanging();
  });

  it('when the notification-service answers 404 user_not_found, the request is given up after one try with a warning', async () => {
    const standIn = await startStandIn('user_gone');
    const orders = startOrders({ notificationServiceUrl: standIn.server.url });
    const order = await placeOrder(orders.app, newUserId());
    await waitUntil(() => orders.store.owedMails.find(order.id)?.state === 'given_up', {
      what: 'the request given up',
    });
    // A canary order after it: once its request is accepted, the worker has looked for due rows since.
    standIn.answer = 'accept';
    const canary = await placeOrder(orders.app, newUserId());
    await waitUntil(() => orders.store.owedMails.find(canary.id)?.state === 'done', { what: 'the canary' });
    const owed = await placeOrder(orders.app, newUserId());
    await waitUntil(() => orders.store.owedMails.find(owed.id)?.state === 'done', {
      what: 'a second canary',
    });

    expect(standIn.callsFor(order.id)).toBe(1);
    expect(orders.store.owedMails.find(order.id)).toMatchObject({ state: 'given_up', attempts: 1 });
    const [warning, ...more] = logLines(orders.lines, 'order_created mail request refused; given up');
    expect(more).toEqual([]);
    expect(warning).toMatchObject({ level: 'warn', order_id: order.id, status: 404 });
  });

  it('when writing the owed request fails, the order is not created either (one transaction)', async () => {
    const file = join(scratchDir(), 'orders.sqlite');
    const orders = startOrders({ store: openOrderStore(file), worker: false });
    // Another connection makes the mail row's insert fail, after the order's own rows were written.
    const other = openOrderDatabase(file);
    onCleanUp(() => void other.close());
    other.exec(`CREATE TRIGGER refuse_mail BEFORE INSERT ON order_mails
                BEGIN SELECT RAISE(ABORT, 'the mail row cannot be written'); END`);
    const userId = newUserId();

    const refused = await request(orders.app).post('/api/order').set(asUser(userId)).send(LAPTOP);

    expect(refused.status).toBe(500);
    const list = await request(orders.app).get('/api/orders').set(asUser(userId));
    expect(list.body.data).toEqual([]);
    expect(other.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 0 });
    expect(other.prepare('SELECT count(*) AS n FROM order_mails').get()).toEqual({ n: 0 });

    other.exec('DROP TRIGGER refuse_mail');
    const order = await placeOrder(orders.app, userId);
    expect(other.prepare('SELECT order_id, type FROM order_mails').all()).toEqual([
      { order_id: order.id, type: 'order_created' },
    ]);
  });

  it('when an instance stopped while its requests were still owed, the next instance on the same database sends them', async () => {
    const file = join(scratchDir(), 'orders.sqlite');
    const standIn = await startStandIn('unavailable');
    const first = buildApp({ store: openOrderStore(file), notificationServiceUrl: standIn.server.url });
    const order = await placeOrder(first.app, newUserId());
    await waitUntil(() => standIn.callsFor(order.id) === 1, { what: 'the failed try' });
    await first.close(); // waits for that try to be recorded
    expect(standIn.callsFor(order.id)).toBe(1);

    standIn.answer = 'accept';
    const next = startOrders({ store: openOrderStore(file), notificationServiceUrl: standIn.server.url });
    await waitUntil(() => standIn.mails.size === 1, { what: 'the next instance sending it' });
    await waitUntil(() => next.store.owedMails.find(order.id)?.state === 'done', { what: 'its row done' });
    expect(standIn.callsFor(order.id)).toBe(2);
    expect(standIn.mails.size).toBe(1);
    expect(logLines(next.lines, 'order_created mail requested')).toMatchObject([{ order_id: order.id }]);
  });
});
