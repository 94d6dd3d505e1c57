import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually } from '../../e2e/support/api.ts';
import { startTestStack, type TestStack } from '../../e2e/support/testStack.ts';
import { faultControls, type FaultControls } from '../support/faultsControl.ts';
import { inParallel, shopClient, type Customer, type ShopClient } from '../support/flowShop.ts';
import { retryingWrite } from '../support/retryingClient.ts';

let shop: TestStack;
let client: ShopClient;
let faults: FaultControls;

beforeAll(async () => {
  shop = await startTestStack({
    STRIPE_TIMEOUT_MS: '3000',
    NOTIFY_RETRY_MAX_MS: '1000',
  });
  client = shopClient(shop);
  faults = faultControls(shop);
});
afterAll(async () => {
  await faults?.clearAll();
  await shop?.stop();
});

const CLIENT_TIMEOUT_MS = 1000;

/** One customer's purchase as a retrying client makes it: every write keyed, every answer awaited. */
async function purchase(who: Customer) {
  const created = await retryingWrite<{ id: string }>('POST', `${shop.url('order-service')}/api/order`, {
    token: who.token,
    key: randomUUID(),
    body: { product_name: 'Retried item', quantity: 1, price: 20 },
    timeoutMs: CLIENT_TIMEOUT_MS,
    loseFirstAnswer: true,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const paid = await retryingWrite<{ id: string; status: string }>(
    'POST',
    `${shop.url('payment-service')}/api/pay-order`,
    {
      token: who.token,
      key: randomUUID(),
      body: { order_id: created.body.id, payment_method: 'pm_card_visa' },
      timeoutMs: CLIENT_TIMEOUT_MS,
    },
  );
  expect(paid.status, JSON.stringify(paid.body)).toBe(200);
  return { orderId: created.body.id, paymentId: paid.body.id, payAttempts: paid.attempts };
}

const ordersOf = async (who: Customer) =>
  (
    await call<{ data: { id: string }[] }>('GET', `${shop.url('order-service')}/api/orders`, {
      token: who.token,
    })
  ).body.data;

describe('a client that retries every write on timeouts, with faults injected', () => {
  it('when answers are lost, Stripe is slow or failing and Gmail fails, there is still 1 order, 1 charge and 1 receipt per purchase', async () => {
    const customers = await inParallel([1, 2, 3], 3, () => client.customer('retry'));
    // Slow confirmations outlast the client's timeout (it retries while the first still runs); one
    // charge's answer is lost at Stripe; creating intents fails once; Gmail refuses a few sends.
    await faults.stripe({ mode: 'slow', delay_ms: 1500, match: '/confirm', count: 2 });
    await faults.stripe({ mode: 'timeout', when: 'after', match: '/confirm', count: 1 });
    await faults.stripe({ mode: 'error', match: '/v1/payment_intents', count: 1 });
    await faults.gmail({ mode: 'error', count: 3 });

    const purchases = await inParallel(customers, 3, purchase);
    expect(await faults.stripeArmed(), 'every Stripe fault was met').toHaveLength(0);
    expect(
      Math.max(...purchases.map((p) => p.payAttempts)),
      'a payment the client had to retry',
    ).toBeGreaterThan(1);

    // A refund whose first answer is lost, retried: refunded once.
    const [first] = purchases;
    const refund = await retryingWrite(
      'POST',
      `${shop.url('payment-service')}/api/payment/${first!.paymentId}/refund`,
      { token: customers[0]!.token, key: randomUUID(), timeoutMs: CLIENT_TIMEOUT_MS, loseFirstAnswer: true },
    );
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);

    for (const [index, who] of customers.entries()) {
      const { orderId } = purchases[index]!;
      expect(await ordersOf(who), 'orders of the customer').toEqual([
        expect.objectContaining({ id: orderId }),
      ]);
      const intents = await client.intentsFor(orderId);
      expect(intents, 'PaymentIntents of the order').toHaveLength(1);
      expect(intents.filter((pi) => pi.status === 'succeeded' || pi.status === 'refunded')).toHaveLength(1);
      await eventually(
        'the receipt',
        async () => (await client.receiptsFor(who.email, orderId)).length > 0,
        30_000,
      );
      const mails = (await client.mails()).filter((m) => m.to.includes(who.email));
      const distinct = new Set(mails.map((m) => `${m.subject}\n${m.text}`));
      expect(mails.length, 'no mail sent twice').toBe(distinct.size);
    }
    expect(await client.refundsFor((await client.intentsFor(first!.orderId))[0]!.id), 'refunds').toBe(1);
  });
});
