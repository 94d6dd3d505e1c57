import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../e2e/support/api.ts';
import { startTestStack, type TestStack } from '../../e2e/support/testStack.ts';
import { faultControls, type FaultControls } from '../support/faultsControl.ts';
import { shopClient, type Customer, type ShopClient } from '../support/flowShop.ts';

let shop: TestStack;
let client: ShopClient;
let faults: FaultControls;

beforeAll(async () => {
  // A failed draft lookup (403) is a configuration problem: retried every 0.5-2 s here, not minutes.
  shop = await startTestStack({ NOTIFY_BLOCKED_RETRY_BASE_MS: '500', NOTIFY_BLOCKED_RETRY_MAX_MS: '2000' });
  client = shopClient(shop);
  faults = faultControls(shop);
});
afterAll(async () => {
  await shop?.stop();
});

/** The order ends Paid with 1 succeeded PaymentIntent and exactly 1 receipt, sent once. */
async function expectPaidOnce(who: Customer, orderId: string) {
  await eventually(
    'the order to become Paid',
    async () => (await client.orderStatus(who, orderId)) === 'Paid',
    60_000,
  );
  await eventually(
    'the receipt',
    async () => (await client.receiptsFor(who.email, orderId)).length > 0,
    60_000,
  );
  const succeeded = (await client.intentsFor(orderId)).filter((pi) => pi.status === 'succeeded');
  expect(succeeded, '1 charge, 0 duplicated').toHaveLength(1);
  expect(await client.receiptsFor(who.email, orderId), '1 receipt, 0 duplicated').toHaveLength(1);
  const notes = await client.notificationsOf(who, orderId);
  expect(
    notes.map((n) => n.status),
    'one receipt recorded, sent',
  ).toEqual(['sent']);
  const payment = await client.paymentOf(who, orderId);
  expect(payment.body.status).toBe('succeeded');
}

describe('crash recovery: processes killed with SIGKILL mid-flow', () => {
  it('when the payment-service is killed after Stripe charged but before the order was marked Paid, the restarted service makes it Paid with 1 charge and 1 receipt', async () => {
    const ann = await client.customer('crash');
    const order = await client.createOrder(ann, 3, 9.99);
    // The charge happens, its answer never comes: the service is stuck between charge and mark-paid.
    await faults.stripe({ mode: 'timeout', match: '/confirm', when: 'after', count: 1 });
    const inFlight = client.payOrder(ann, order.id, 'pm_card_visa').then(
      (res) => `answered ${res.status}`,
      (error: Error) => `no answer (${error.message})`,
    );

    await eventually(
      'Stripe to have charged the order',
      async () => (await client.intentsFor(order.id)).some((pi) => pi.status === 'succeeded'),
      30_000,
    );
    expect(await client.orderStatus(ann, order.id), 'charged, not marked Paid yet').toBe('Pending');
    await shop.stack.kill('payment-service');
    expect(await inFlight).toMatch(/no answer/);
    await faults.clearStripe();
    await shop.stack.restart('payment-service');

    await expectPaidOnce(ann, order.id);
  });

  it('when the order-service is down while the charge succeeds, the order becomes Paid once it is back, with 1 charge and 1 receipt', async () => {
    const bob = await client.customer('crash');
    const order = await client.createOrder(bob, 1, 25);
    const started = await client.payOrder(bob, order.id); // the client confirms later
    expect(started.status).toBe(201);
    await shop.stack.kill('order-service');

    const confirmed = await client.confirmInBrowser(started.body.payment_intent_id);
    expect(confirmed.status).toBe(200);
    await eventually(
      'the payment-service to learn of the charge (webhook)',
      async () => (await client.paymentOf(bob, order.id)).body.status === 'succeeded',
      30_000,
    );
    expect(
      await client.receiptsFor(bob.email, order.id),
      'no receipt while the order is not Paid',
    ).toHaveLength(0);
    await shop.stack.restart('order-service');

    await expectPaidOnce(bob, order.id);
  });

  it('when the notification-service is down during the payment, pay-order still answers 200 and the receipt goes out once after it restarts', async () => {
    const cat = await client.customer('crash');
    const order = await client.createOrder(cat, 2, 4.5);
    await shop.stack.kill('notification-service');

    const paid = await client.payOrder(cat, order.id, 'pm_card_visa');
    expect(paid.status).toBe(200);
    expect(await client.orderStatus(cat, order.id)).toBe('Paid');
    expect(await client.receiptsFor(cat.email, order.id)).toHaveLength(0);
    await shop.stack.restart('notification-service');

    await expectPaidOnce(cat, order.id);
  });

  it('when the notification-service is killed while Gmail sends the receipt and the draft lookup then fails, nothing is sent blind and the receipt ends sent once', async () => {
    const dan = await client.customer('crash');
    const order = await client.createOrder(dan, 1, 7);
    // The welcome and order-placed mails first, so the fault below hits the receipt's send (the
    // order-placed mail is asked for after the order is answered, and could otherwise take it).
    await eventually(
      'the welcome and order-placed mails',
      async () => {
        const subjects = (await client.mails()).filter((m) => m.to.includes(dan.email)).map((m) => m.subject);
        return subjects.some((s) => s.startsWith('Welcome')) && subjects.some((s) => s.endsWith('is placed'));
      },
      30_000,
    );
    // Gmail sends the receipt's draft 2 s after it was asked; the service is killed meanwhile.
    await faults.gmail({ mode: 'slow', delay_ms: 2_000, count: 1, operation: 'drafts.send' });
    expect((await client.payOrder(dan, order.id, 'pm_card_visa')).status).toBe(200);
    await eventually(
      'Gmail to be sending the draft',
      async () => (await faults.gmailArmed()).length === 0,
      30_000,
    );
    await shop.stack.kill('notification-service');
    await eventually(
      'Gmail to have sent it',
      async () => (await client.receiptsFor(dan.email, order.id)).length === 1,
      30_000,
    );
    // The restarted service cannot look the draft up (403), though it could send.
    await faults.gmail({
      mode: 'error',
      status: 403,
      reason: 'insufficientPermissions',
      operation: 'drafts.get',
    });
    await shop.stack.restart('notification-service');
    await eventually(
      'the restarted service to try the draft lookup',
      async () => /403/.test((await client.notificationsOf(dan, order.id))[0]?.last_error ?? ''),
      60_000,
    );
    expect(await client.receiptsFor(dan.email, order.id), 'nothing sent blind').toHaveLength(1);

    await faults.clearGmail();
    await eventually(
      'the draft check to settle the receipt',
      async () => (await client.notificationsOf(dan, order.id))[0]?.status === 'sent',
      60_000,
    );
    await expectPaidOnce(dan, order.id);
  });
});
