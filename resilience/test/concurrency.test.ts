import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../e2e/support/api.ts';
import { startTestStack, type TestStack } from '../../e2e/support/testStack.ts';
import { faultControls } from '../support/faultsControl.ts';
import { inParallel, shopClient, type Customer, type ShopClient } from '../support/flowShop.ts';

let shop: TestStack;
let client: ShopClient;

beforeAll(async () => {
  shop = await startTestStack();
  client = shopClient(shop);
});
afterAll(async () => {
  await shop?.stop();
});

describe('concurrent pay-order calls, all six processes', () => {
  it('when 50 pay-order calls for one order arrive at once: 1 PaymentIntent, 1 charge, order Paid, 1 receipt (0 duplicated)', async () => {
    const ann = await client.customer('conc');
    const order = await client.createOrder(ann, 2, 19.99);

    const answers = await Promise.all(
      Array.from({ length: 50 }, () => client.payOrder(ann, order.id, 'pm_card_visa')),
    );

    const statuses = answers.map((a) => a.status);
    expect(statuses, '50 of 50 calls answer 200').toEqual(Array(50).fill(200));
    expect(new Set(answers.map((a) => a.body.id)).size, 'every call answers the same payment').toBe(1);
    expect(await client.orderStatus(ann, order.id)).toBe('Paid');
    const intents = await client.intentsFor(order.id);
    expect(
      intents.map((pi) => [pi.status, pi.amount]),
      '1 PaymentIntent, charged 3998 once',
    ).toEqual([['succeeded', 3998]]);
    await eventually(
      'the receipt',
      async () => (await client.receiptsFor(ann.email, order.id)).length > 0,
      30_000,
    );
    expect(await client.receiptsFor(ann.email, order.id), '1 receipt').toHaveLength(1);
  });

  it('when 20 users each pay 10 orders at once (200 calls): every order Paid once, 200 charges, 200 receipts, 0 lost, 0 duplicated', async () => {
    const users = await inParallel(
      Array.from({ length: 20 }, (_, i) => i),
      5,
      () => client.customer('many'),
    );
    const orders = await inParallel(
      users.flatMap((user) => Array.from({ length: 10 }, () => user)),
      10,
      async (user: Customer) => ({ user, order: await client.createOrder(user, 1, 7.5) }),
    );

    const answers = await Promise.all(
      orders.map(({ user, order }) => client.payOrder(user, order.id, 'pm_card_visa')),
    );

    const failed = answers
      .filter((a) => a.status !== 200)
      .map((a) => `${a.status} ${JSON.stringify(a.body)}`);
    expect(failed, '0 of 200 calls fail').toEqual([]);
    const statuses = await inParallel(orders, 20, ({ user, order }) => client.orderStatus(user, order.id));
    expect(
      statuses.filter((s) => s !== 'Paid'),
      '200 of 200 orders Paid',
    ).toEqual([]);
    const intents = await client.intents();
    const ids = new Set(orders.map(({ order }) => order.id));
    const succeeded = intents.filter((pi) => ids.has(pi.metadata.order_id!) && pi.status === 'succeeded');
    expect(succeeded, '200 charges').toHaveLength(200);
    expect(new Set(succeeded.map((pi) => pi.metadata.order_id)).size, '1 charge per order').toBe(200);

    const receiptCounts = await eventually(
      'a receipt for each of the 200 orders',
      async () => {
        const counts = await inParallel(
          orders,
          20,
          async ({ user, order }) => (await client.receiptsFor(user.email, order.id)).length,
        );
        return counts.every((c) => c >= 1) && counts;
      },
      60_000,
    );
    expect(
      receiptCounts.filter((c) => c !== 1),
      '1 receipt per order, 0 duplicated',
    ).toEqual([]);
  });

  it('when the owner cancels the order while its payment is being charged, the charge is refunded automatically: 1 charge, 1 refund, order Cancelled, 0 receipts, 1 refund mail', async () => {
    const dan = await client.customer('cancel');
    const order = await client.createOrder(dan, 1, 30);
    // The confirmation is held 3 s at Stripe before it charges: the cancel lands in between.
    const faults = faultControls(shop);
    await faults.stripe({ mode: 'slow', delay_ms: 3_000, match: '/confirm', count: 1 });
    const paying = client.payOrder(dan, order.id, 'pm_card_visa');
    await eventually(
      'the confirmation to reach Stripe',
      async () => (await faults.stripeArmed()).length === 0,
    );
    const cancelled = await client.cancelOrder(dan, order.id);
    expect(cancelled.status).toBe(200);

    const paid = await paying;
    expect(paid.status, JSON.stringify(paid.body)).toBeLessThan(500);
    const payment = await eventually('the payment to be refunded', async () => {
      const res = await client.paymentOf(dan, order.id);
      return res.body.status === 'refunded' && res.body;
    });
    const intents = await client.intentsFor(order.id);
    expect(
      intents.map((pi) => pi.status),
      '1 charge',
    ).toEqual(['succeeded']);
    expect(await client.refundsFor(intents[0]!.id), '1 refund').toBe(1);
    expect(payment.status).toBe('refunded');
    expect(await client.orderStatus(dan, order.id)).toBe('Cancelled');
    expect(
      shop.logs.filter((l) => l.includes('refunded automatically') && l.includes(order.id)),
    ).toHaveLength(1);
    expect(await client.receiptsFor(dan.email, order.id), '0 receipts for a cancelled order').toHaveLength(0);
    const refundMails = await eventually('the refund mail', async () => {
      const found = await client.refundMailsFor(dan.email, order.id);
      return found.length > 0 && found;
    });
    expect(refundMails, '1 refund mail: the customer was charged and refunded').toHaveLength(1);
  });
});
