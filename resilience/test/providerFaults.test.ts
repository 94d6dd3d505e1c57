import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../e2e/support/api.ts';
import { startTestStack, type TestStack } from '../../e2e/support/testStack.ts';
import { faultControls, type FaultControls } from '../support/faultsControl.ts';
import { shopClient, type Customer, type ShopClient } from '../support/flowShop.ts';

let shop: TestStack;
let client: ShopClient;
let faults: FaultControls;

beforeAll(async () => {
  shop = await startTestStack({
    // A Stripe timeout costs 1.5 s per try instead of 10 s; mails are retried at most 1 s apart, and
    // a configuration problem (invalid_grant) every 200 ms to 1 s instead of every 1 min to 3 h.
    STRIPE_TIMEOUT_MS: '1500',
    NOTIFY_RETRY_MAX_MS: '1000',
    NOTIFY_BLOCKED_RETRY_BASE_MS: '200',
    NOTIFY_BLOCKED_RETRY_MAX_MS: '1000',
  });
  client = shopClient(shop);
  faults = faultControls(shop);
});
afterEach(async () => {
  await faults.clearAll(); // a fault a test did not use up must not hit the next one
});
afterAll(async () => {
  await shop?.stop();
});

const succeededFor = async (orderId: string) =>
  (await client.intentsFor(orderId)).filter((pi) => pi.status === 'succeeded');

async function expectOneReceipt(who: Customer, orderId: string) {
  await eventually(
    'the receipt',
    async () => (await client.receiptsFor(who.email, orderId)).length > 0,
    60_000,
  );
  expect(await client.receiptsFor(who.email, orderId), '1 receipt, 0 duplicated').toHaveLength(1);
  const notes = await client.notificationsOf(who, orderId);
  expect(notes.map((n) => n.status)).toEqual(['sent']);
}

/** The receipt of this order is recorded and waits for a retry, with the reason. */
async function receiptQueued(who: Customer, orderId: string, reason: RegExp) {
  return eventually(
    'the receipt to be queued after 2 failed tries',
    async () => {
      const [note] = await client.notificationsOf(who, orderId);
      return note?.status === 'queued' && note.attempts >= 2 && reason.test(note.last_error ?? '') && note;
    },
    30_000,
  );
}

describe('Stripe faults on confirm', () => {
  it('when Stripe answers 500 to the confirmation and both SDK retries, 502 comes back, nothing is charged and the order stays Pending; after recovery paying again charges once', async () => {
    const ann = await client.customer('prov');
    const order = await client.createOrder(ann, 1, 10);
    await faults.stripe({ mode: 'error', match: '/confirm', count: 3 });

    const failed = await client.payOrder(ann, order.id, 'pm_card_visa');
    expect(failed.status).toBe(502);
    expect(failed.body.code).toBe('payment_provider_unavailable');
    expect(await faults.stripeArmed(), 'all 3 faults used: the call and 2 SDK retries').toHaveLength(0);
    expect(await client.orderStatus(ann, order.id), 'no Paid without a success').toBe('Pending');
    expect(await succeededFor(order.id), '0 charges').toHaveLength(0);

    const paid = await client.payOrder(ann, order.id, 'pm_card_visa');
    expect(paid.status).toBe(200);
    expect(await client.orderStatus(ann, order.id)).toBe('Paid');
    expect(await client.intentsFor(order.id), '1 PaymentIntent').toHaveLength(1);
    expect(await succeededFor(order.id), '1 charge').toHaveLength(1);
    await expectOneReceipt(ann, order.id);
  });

  it('when Stripe charges but the answer is lost and both SDK retries time out, 502 comes back and the worker still makes the order Paid with 1 charge and 1 receipt', async () => {
    const bob = await client.customer('prov');
    const order = await client.createOrder(bob, 2, 3.25);
    // Faults apply in order: the first try charges and hangs, the two retries hang before any work.
    await faults.stripe({ mode: 'timeout', when: 'after', match: '/confirm', count: 1 });
    await faults.stripe({ mode: 'timeout', when: 'before', match: '/confirm', count: 2 });

    const lost = await client.payOrder(bob, order.id, 'pm_card_visa');
    expect(lost.status).toBe(502);
    expect(await succeededFor(order.id), 'Stripe did charge').toHaveLength(1);

    await eventually(
      'the worker to mark the order Paid',
      async () => (await client.orderStatus(bob, order.id)) === 'Paid',
      30_000,
    );
    const again = await client.payOrder(bob, order.id, 'pm_card_visa');
    expect(again.status).toBe(200);
    expect(await client.intentsFor(order.id), '1 PaymentIntent').toHaveLength(1);
    expect(await succeededFor(order.id), '1 charge, 0 duplicated').toHaveLength(1);
    await expectOneReceipt(bob, order.id);
  });

  it('when Stripe times out on the confirmation 3 times, 502 comes back and nothing is Paid; after recovery paying again charges once', async () => {
    const cat = await client.customer('prov');
    const order = await client.createOrder(cat, 1, 42);
    await faults.stripe({ mode: 'timeout', match: '/confirm', count: 3 });

    const timedOut = await client.payOrder(cat, order.id, 'pm_card_visa');
    expect(timedOut.status).toBe(502);
    expect(await faults.stripeArmed(), 'all 3 timeouts used').toHaveLength(0);
    expect(await client.orderStatus(cat, order.id), 'no Paid without a success').toBe('Pending');
    expect(await succeededFor(order.id), '0 charges').toHaveLength(0);

    const paid = await client.payOrder(cat, order.id, 'pm_card_visa');
    expect(paid.status).toBe(200);
    expect(await client.orderStatus(cat, order.id)).toBe('Paid');
    expect(await succeededFor(order.id), '1 charge').toHaveLength(1);
    await expectOneReceipt(cat, order.id);
  });
});

describe('Gmail faults', () => {
  it('when Gmail is down, the receipt is queued, survives a kill -9 of the notification-service, and is delivered once when Gmail is back (0 lost, 0 duplicated)', async () => {
    const dan = await client.customer('prov');
    const order = await client.createOrder(dan, 1, 15);
    await faults.gmail({ mode: 'error', status: 503 });

    const paid = await client.payOrder(dan, order.id, 'pm_card_visa');
    expect(paid.status).toBe(200);
    await receiptQueued(dan, order.id, /503/);
    await shop.stack.kill('notification-service');
    await shop.stack.restart('notification-service');
    const before = (await client.notificationsOf(dan, order.id))[0]!.attempts;
    await eventually(
      'the restarted service to retry the queued receipt',
      async () => (await client.notificationsOf(dan, order.id))[0]!.attempts > before,
      30_000,
    );
    expect(await client.receiptsFor(dan.email, order.id), 'nothing sent while Gmail is down').toHaveLength(0);

    await faults.clearGmail();
    await expectOneReceipt(dan, order.id);
  });

  it('when Gmail refuses the refresh token (invalid_grant), a configuration error is logged, the receipt stays queued, and it is delivered once the grant works', async () => {
    const eve = await client.customer('prov');
    const order = await client.createOrder(eve, 1, 8);
    await faults.gmail({ mode: 'invalid_grant' });
    // A fresh process has no cached access token, so its next send must ask for one.
    await shop.stack.kill('notification-service', 'SIGTERM');
    await shop.stack.restart('notification-service');
    const logsBefore = shop.logs.length;

    const paid = await client.payOrder(eve, order.id, 'pm_card_visa');
    expect(paid.status).toBe(200);
    await receiptQueued(eve, order.id, /invalid_grant/);
    const configErrors = shop.logs
      .slice(logsBefore)
      .filter((l) => l.startsWith('notification-service') && l.includes('configuration problem'));
    expect(configErrors.length, 'an error line per failed try').toBeGreaterThanOrEqual(1);
    expect(configErrors[0]).toMatch(/"level":"error".*GMAIL_REFRESH_TOKEN.*invalid_grant/);
    expect(await client.receiptsFor(eve.email, order.id)).toHaveLength(0);

    await faults.clearGmail();
    await expectOneReceipt(eve, order.id);
  });
});
