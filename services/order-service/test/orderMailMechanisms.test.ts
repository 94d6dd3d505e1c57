import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logLines, metricSample, waitUntil } from '@shop/shared/testing';
import type { OrderStore } from '../src/data/orderStore.ts';
import { createSqliteOrderStore, openOrderDatabase } from '../src/data/sqliteOrderStore.ts';
import { uuidv7 } from '../src/domain/ids.ts';
import type { buildApp } from './helpers.ts';
import { newUserId, placeOrder } from './helpers.ts';
import { orderMailKit } from './orderMailKit.ts';

// How the owed order_created mail requests reach their outcome, not only the outcome: the times
// stored for the next try, the give-up moment to the millisecond, the hold on a row in flight, the
// worker's batches and its 4-at-a-time limit, what stop leaves behind, and the counters and log
// lines operators read when recording an outcome fails. Time is moved by faking only `Date` (timers
// stay real), so an hour passes between two lines of a test.

const { cleanUp, startStandIn, startOrders } = orderMailKit();
afterEach(async () => {
  vi.useRealTimers();
  await cleanUp();
});

/** An order-service over an in-memory database whose handle the test keeps (to add triggers). */
function ordersWithDatabase(options: Parameters<typeof buildApp>[0]) {
  const db = openOrderDatabase(':memory:');
  return { db, ...startOrders({ ...options, store: createSqliteOrderStore(db) }) };
}

/** `count` orders written through the store, each owing its request, due at `dueAt`. */
function owedOrders(store: OrderStore, count: number, dueAt: number): string[] {
  return Array.from({ length: count }, () => {
    const userId = newUserId();
    const order = {
      id: uuidv7(),
      user_id: userId,
      product_name: 'Laptop',
      quantity: 1,
      unit_amount: 1000,
      amount: 1000,
      currency: 'USD' as const,
      created_at: new Date().toISOString(),
    };
    return store.create(order, `user:${userId}`, dueAt).id;
  });
}

async function counted(app: Parameters<typeof request>[0], outcome: string) {
  const metrics = (await request(app).get('/metrics')).text;
  return metricSample(metrics, 'order_mail_requests_total', { outcome });
}

const errorLines = (lines: string[]) => logLines(lines).filter((line) => line.level === 'error');

describe('the retry schedule and the give-up moment', () => {
  // 4 min doubled: tries at +4, +12, +28 and +60 min, the last one exactly at the give-up age.
  const STEP = 240_000;

  it('with a 4 min retry base and ORDER_MAIL_GIVE_UP_AFTER_HOURS 1, a request answered 503 (or timing out) is retried after 4, 8, 16 min, each wait stored and logged with its attempt, and given up at +60 min exactly: 4 retried, 1 given up', async () => {
    const standIn = await startStandIn('unavailable');
    const orders = startOrders({
      notificationServiceUrl: standIn.server.url,
      mailTimeoutMs: 1_000, // long enough to read the hold before the try times out, even on a slow run
      env: {
        ORDER_MAIL_RETRY_BASE_MS: STEP,
        ORDER_MAIL_RETRY_MAX_MS: 8 * STEP,
        ORDER_MAIL_GIVE_UP_AFTER_HOURS: 1,
      },
    });
    const runDueAt = (ms: number) => {
      vi.setSystemTime(start + ms);
      return orders.deps.orderMails.runDue();
    };
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const start = Date.now();
    const order = await placeOrder(orders.app, newUserId());
    const row = () => orders.store.owedMails.find(order.id)!;

    // The creator's own try fails: the next one is due after the base delay.
    await waitUntil(() => row().attempts === 1, { what: "the creator's try recorded" });
    expect(row()).toMatchObject({ state: 'owed', created_at: start, next_attempt_at: start + STEP });

    // The worker's try holds the row for the call's timeout and 1 s more, then times out: twice the delay.
    standIn.answer = 'hang';
    const hanging = runDueAt(STEP);
    await waitUntil(() => standIn.received.length === 2, { what: "the worker's try" });
    expect(row()).toMatchObject({ attempts: 1, next_attempt_at: start + STEP + 1_000 + 1_000 });
    standIn.answer = 'unavailable';
    await hanging;
    expect(row()).toMatchObject({ attempts: 2, next_attempt_at: start + 3 * STEP });

    await runDueAt(3 * STEP);
    expect(row()).toMatchObject({ attempts: 3, next_attempt_at: start + 7 * STEP });
    await runDueAt(7 * STEP);
    expect(row()).toMatchObject({ attempts: 4, next_attempt_at: start + 15 * STEP });
    await runDueAt(15 * STEP - 1);
    expect(standIn.received).toHaveLength(4); // not due yet

    await runDueAt(15 * STEP);
    expect(standIn.received).toHaveLength(5);
    expect(row()).toMatchObject({ state: 'given_up', attempts: 5, finished_at: start + 15 * STEP });
    expect(row().last_error).toMatch(/503/);

    const retried = logLines(orders.lines, 'order_created mail request failed; will retry');
    expect(retried.map((line) => [line.attempt, line.retry_in_ms, line.status])).toEqual([
      [1, STEP, 503],
      [2, 2 * STEP, undefined], // a timeout has no status
      [3, 4 * STEP, 503],
      [4, 8 * STEP, 503],
    ]);
    expect(retried[0]).toMatchObject({ level: 'warn', order_id: order.id, type: 'order_created' });
    const [gaveUp, ...more] = logLines(
      orders.lines,
      'order_created mail request still failing at ORDER_MAIL_GIVE_UP_AFTER_HOURS; given up',
    );
    expect(more).toEqual([]);
    expect(gaveUp).toMatchObject({ level: 'warn', order_id: order.id, attempt: 5, status: 503 });
    expect(await counted(orders.app, 'retried')).toBe(4);
    expect(await counted(orders.app, 'given_up')).toBe(1);
    expect(await counted(orders.app, 'sent')).toBe(0);
  });
});

describe("the worker's look for due requests", () => {
  it('when 120 requests are due, one look sends them all (past its batches of 50), at most 4 at a time, each logged as attempt 1 and counted sent', async () => {
    const standIn = await startStandIn('accept');
    standIn.delayMs = 5;
    const orders = startOrders({ notificationServiceUrl: standIn.server.url });
    const owed = owedOrders(orders.store, 120, Date.now());

    await orders.deps.orderMails.runDue();

    expect(standIn.received).toHaveLength(120);
    expect(new Set(standIn.received.map((call) => call.order_id))).toEqual(new Set(owed));
    expect(standIn.maxInFlight).toBeLessThanOrEqual(4);
    await waitUntil(() => owed.every((id) => orders.store.owedMails.find(id)?.state === 'done'), {
      what: 'every row marked done',
    });
    const requested = logLines(orders.lines, 'order_created mail requested');
    expect(requested).toHaveLength(120);
    expect(requested[0]).toMatchObject({ level: 'info', attempt: 1, notification: 'sent' });
    expect(await counted(orders.app, 'sent')).toBe(120);
    expect(errorLines(orders.lines)).toEqual([]);
  });

  it('when another instance holds a due row (its claim did not take), the worker leaves it alone and sends only the rows it claimed', async () => {
    const standIn = await startStandIn('accept');
    const orders = ordersWithDatabase({ notificationServiceUrl: standIn.server.url });
    const [held, free] = owedOrders(orders.store, 2, Date.now());
    // The claim's update of this row is skipped, as when another instance's claim committed first.
    orders.db.exec(`CREATE TRIGGER another_instance_holds BEFORE UPDATE OF next_attempt_at ON order_mails
                    WHEN OLD.order_id = '${held}' AND NEW.attempts = OLD.attempts
                    BEGIN SELECT RAISE(IGNORE); END`);

    await orders.deps.orderMails.runDue();

    expect(standIn.received.map((call) => call.order_id)).toEqual([free]);
    expect(orders.store.owedMails.find(held!)).toMatchObject({ state: 'owed', attempts: 0 });
  });

  it('when the worker stops in the middle of a backlog, it finishes the tries in flight, marks them done before stop returns, sends nothing more, and started again it sends the rest once each', async () => {
    const standIn = await startStandIn('accept');
    standIn.delayMs = 20;
    const orders = startOrders({ notificationServiceUrl: standIn.server.url, mailTimeoutMs: 100 });
    const owed = owedOrders(orders.store, 100, Date.now());
    orders.deps.orderMails.worker.start();
    await waitUntil(() => standIn.received.length >= 8, { what: 'the first tries' });

    await orders.deps.orderMails.worker.stop();

    const triedBeforeStop = new Set(standIn.received.map((call) => call.order_id));
    expect(triedBeforeStop.size).toBeLessThan(100);
    for (const id of owed) {
      expect(orders.store.owedMails.find(id)!.state).toBe(triedBeforeStop.has(id) ? 'done' : 'owed');
    }
    await sleep(100);
    expect(standIn.received).toHaveLength(triedBeforeStop.size);

    // Rows claimed but not tried come due again once their hold (timeout + 1 s) ends.
    orders.deps.orderMails.worker.start();
    await waitUntil(() => standIn.mails.size === 100, { what: 'the rest sent', timeoutMs: 10_000 });
    expect(standIn.received).toHaveLength(100);
  });
});

describe('stopping', () => {
  it("when the worker stops while a new order's own try is in flight, stop waits for it: the request is answered and its row done when stop returns", async () => {
    const standIn = await startStandIn('accept');
    standIn.delayMs = 300;
    const orders = startOrders({ notificationServiceUrl: standIn.server.url, worker: true });
    const order = await placeOrder(orders.app, newUserId());
    await waitUntil(() => standIn.received.length === 1, { what: "the creator's try" });

    await orders.deps.orderMails.worker.stop();

    expect(standIn.mails.has(order.id)).toBe(true);
    expect(orders.store.owedMails.find(order.id)).toMatchObject({ state: 'done', attempts: 1 });
  });
});

describe('when recording an outcome fails', () => {
  it('when the done mark of an accepted request cannot be written, an error names how many, the row stays owed, and once its hold ends it is requested again and answered with the same mail', async () => {
    const standIn = await startStandIn('accept');
    const orders = ordersWithDatabase({ notificationServiceUrl: standIn.server.url, mailTimeoutMs: 100 });
    // An earlier batch marked done as usual: the failing one names only its own order.
    const earlier = await placeOrder(orders.app, newUserId());
    await waitUntil(() => orders.store.owedMails.find(earlier.id)?.state === 'done', {
      what: 'the earlier row',
    });
    orders.db.exec(`CREATE TRIGGER refuse_done BEFORE UPDATE OF state ON order_mails WHEN NEW.state = 'done'
                    BEGIN SELECT RAISE(ABORT, 'the done mark cannot be written'); END`);
    const order = await placeOrder(orders.app, newUserId());

    const message = 'order_created mails accepted but not marked done; they will be requested again';
    const [failure] = await waitUntil(
      () => logLines(orders.lines, message).length === 1 && logLines(orders.lines, message),
      {
        what: 'the error line',
      },
    );
    expect(failure).toMatchObject({
      level: 'error',
      orders: 1,
      err: { message: 'the done mark cannot be written' },
    });
    expect(orders.store.owedMails.find(order.id)).toMatchObject({ state: 'owed', attempts: 0 });

    orders.db.exec('DROP TRIGGER refuse_done');
    orders.deps.orderMails.worker.start();
    await waitUntil(() => orders.store.owedMails.find(order.id)?.state === 'done', { what: 'the row done' });
    expect(standIn.callsFor(order.id)).toBe(2);
    expect(standIn.mails.size).toBe(2);
  });

  it("when a failed try cannot be recorded, the creator's try logs it with the order and the worker's look fails (logged as order-mail-worker's tick); once recording works, both are sent", async () => {
    const standIn = await startStandIn('unavailable');
    const orders = ordersWithDatabase({ notificationServiceUrl: standIn.server.url, mailTimeoutMs: 100 });
    orders.db.exec(`CREATE TRIGGER refuse_tries BEFORE UPDATE OF attempts ON order_mails
                    BEGIN SELECT RAISE(ABORT, 'the try cannot be recorded'); END`);

    const order = await placeOrder(orders.app, newUserId());
    const [notRecorded] = await waitUntil(
      () => {
        const found = logLines(orders.lines, 'order_created mail try not recorded');
        return found.length > 0 && found;
      },
      { what: "the creator's error line" },
    );
    expect(notRecorded).toMatchObject({
      level: 'error',
      order_id: order.id,
      err: { message: 'the try cannot be recorded' },
    });
    expect(orders.store.owedMails.find(order.id)).toMatchObject({ state: 'owed', attempts: 0 });

    const [waiting] = owedOrders(orders.store, 1, Date.now());
    await expect(orders.deps.orderMails.runDue()).rejects.toThrow('the try cannot be recorded');

    orders.deps.orderMails.worker.start();
    const [tickFailed] = await waitUntil(
      () => {
        const found = logLines(orders.lines, 'worker tick failed');
        return found.length > 0 && found;
      },
      { what: "the worker's error line", timeoutMs: 10_000 },
    );
    expect(tickFailed).toMatchObject({ level: 'error', worker: 'order-mail-worker' });

    orders.db.exec('DROP TRIGGER refuse_tries');
    standIn.answer = 'accept';
    for (const id of [order.id, waiting!]) {
      await waitUntil(() => orders.store.owedMails.find(id)?.state === 'done', {
        what: `order ${id}'s request sent`,
        timeoutMs: 10_000,
      });
    }
    expect(standIn.mails.size).toBe(2);
  });
});
