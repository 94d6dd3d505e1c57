import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAndLogin, type Account } from '../../e2e/support/accounts.ts';
import { call, type ApiResponse } from '../../e2e/support/api.ts';
import { startTestStack, type TestStack } from '../../e2e/support/testStack.ts';

/** Declining test cards a card tester cycles through: fraud signals and honest reasons mixed. */
const DECLINING = [
  'pm_card_chargeDeclined',
  'pm_card_chargeDeclinedInsufficientFunds',
  'pm_card_chargeDeclinedLostCard',
  'pm_card_chargeDeclinedExpiredCard',
  'pm_card_chargeDeclinedIncorrectCvc',
];
/** Codes the customer is not told (the first three are fraud signals). */
const MASKED = ['lost_card', 'stolen_card', 'fraudulent', 'generic_decline'];

let shop: TestStack;

beforeAll(async () => {
  // The shop's own defaults for every limit (the test stack turns the rate limits off otherwise).
  shop = await startTestStack({
    PAYMENT_RATE_LIMIT: '',
    PAYMENT_ADDRESS_RATE_LIMIT: '',
    ORDER_CREATE_RATE_LIMIT: '',
    ORDER_CREATE_ADDRESS_RATE_LIMIT: '',
  });
});

afterAll(async () => {
  await shop?.stop();
});

const customer = (label: string) => registerAndLogin(shop.url('user-service'), label);

async function cheapOrder(account: Account): Promise<string> {
  const res = await call('POST', `${shop.url('order-service')}/api/order`, {
    token: account.token,
    body: { product_name: 'Sticker', quantity: 1, price: 0.5 },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const pay = (account: Account, orderId: string, paymentMethod: string) =>
  call('POST', `${shop.url('payment-service')}/api/pay-order`, {
    token: account.token,
    body: { order_id: orderId, payment_method: paymentMethod },
  });

const statusCounts = (answers: ApiResponse[]) =>
  answers.reduce<Record<number, number>>(
    (counts, a) => ({ ...counts, [a.status]: (counts[a.status] ?? 0) + 1 }),
    {},
  );

describe('card testing', () => {
  it('150 pay-order calls cycling declining cards on one $0.50 order: 5 answered 402, the other 145 429 with Retry-After, and Stripe saw 5 attempts', async () => {
    const tester = await customer('carder');
    const orderId = await cheapOrder(tester);

    const answers: ApiResponse[] = [];
    for (let i = 0; i < 150; i++) answers.push(await pay(tester, orderId, DECLINING[i % DECLINING.length]!));

    expect(statusCounts(answers)).toEqual({ 402: 5, 429: 145 });
    for (const refused of answers.filter((a) => a.status === 429)) {
      expect(['too_many_declines_for_order', 'rate_limited']).toContain(refused.body.code);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // The cap on the order answers first; once the user's 20 calls a minute are used, the rate limit does.
    const codes = answers.slice(5).map((a) => a.body.code as string);
    expect(codes.filter((c) => c === 'too_many_declines_for_order')).toHaveLength(15);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(130);
    const failed = await fetch(
      `${shop.url('stripe-sandbox')}/_sandbox/events?type=payment_intent.payment_failed`,
    );
    expect(((await failed.json()) as { count: number }).count).toBe(5);
  });

  it('fraud-signal decline codes answer a generic card_declined while honest ones are given; the logs keep every code', async () => {
    const buyer = await customer('unlucky');
    const orderId = await cheapOrder(buyer);

    const answers = [];
    for (const method of DECLINING) answers.push(await pay(buyer, orderId, method));

    expect(answers.map((a) => a.status)).toEqual([402, 402, 402, 402, 402]);
    expect(answers.map((a) => [a.body.code, a.body.decline_code])).toEqual([
      ['card_declined', null], // generic_decline
      ['card_declined', 'insufficient_funds'],
      ['card_declined', null], // lost_card
      // Stripe sends a decline_code with card_declined only; these codes say enough themselves.
      ['expired_card', null],
      ['incorrect_cvc', null],
    ]);
    const payment = await call('GET', `${shop.url('payment-service')}/api/payments?order_id=${orderId}`, {
      token: buyer.token,
    });
    const seen = JSON.stringify([answers.map((a) => a.body), payment.body]);
    for (const code of MASKED) expect(seen).not.toContain(code);
    expect(
      shop.logs.some((l) => l.startsWith('payment-service') && l.includes('"decline_code":"lost_card"')),
    ).toBe(true);
  });

  it("one user's declines across orders are capped at 10 an hour: the next card, even a good one, is refused with 429", async () => {
    const tester = await customer('spreader');
    const first = await cheapOrder(tester);
    const second = await cheapOrder(tester);
    for (let i = 0; i < 5; i++) expect((await pay(tester, first, 'pm_card_chargeDeclined')).status).toBe(402);
    for (let i = 0; i < 5; i++)
      expect((await pay(tester, second, 'pm_card_chargeDeclined')).status).toBe(402);

    const third = await pay(tester, await cheapOrder(tester), 'pm_card_visa');

    expect(third.status).toBe(429);
    expect(third.body.code).toBe('too_many_declines_for_user');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(3000);
  });

  it('one user creating more than 30 orders a minute gets 429 rate_limited with Retry-After', async () => {
    const buyer = await customer('hoarder');
    for (let i = 0; i < 30; i++) await cheapOrder(buyer);

    const refused = await call('POST', `${shop.url('order-service')}/api/order`, {
      token: buyer.token,
      body: { product_name: 'Sticker', quantity: 1, price: 0.5 },
    });

    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
