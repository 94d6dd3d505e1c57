import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { placeOrder } from './support/neighbours.ts';
import {
  addFault,
  asUser,
  charges,
  intents,
  loseEveryAnswer,
  newUserId,
  payOrder,
  recordStripeRequests,
  useHarness,
  type Harness,
} from './support/harness.ts';

// What the payment-service sends to Stripe, request by request (see recordStripeRequests).
const recordRequests = (h: Harness) => recordStripeRequests(h.service);

describe('the requests sent to Stripe', () => {
  const h = useHarness();

  it('a new payment creates one PaymentIntent with the lower-cased currency, card methods without redirects, the order in description and metadata, under the key pi-create-<order id>', async () => {
    const sent = recordRequests(h);
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);

    const res = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);

    const [intent] = intents(h.sandbox);
    expect(intent).toMatchObject({
      amount: order.amount,
      currency: order.currency.toLowerCase(),
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      description: `Order ${order.id}`,
      metadata: { order_id: order.id, user_id: userId, payment_id: res.body.id },
    });
    expect(sent.filter((r) => r.method === 'POST')).toEqual([
      expect.objectContaining({ path: '/v1/payment_intents', idempotency_key: `pi-create-${order.id}` }),
    ]);
  });

  it('a confirmation is sent under pi-confirm-<intent>-1; a repeat with the same card after a lost answer reuses that key', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    const intentId = created.body.payment_intent_id as string;
    await loseEveryAnswer(h, '/confirm');
    const sent = recordRequests(h);

    await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' }).expect(502);
    await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' }).expect(200);

    const confirms = sent.filter((r) => r.path.endsWith('/confirm'));
    expect(confirms.length).toBeGreaterThanOrEqual(2);
    expect(new Set(confirms.map((r) => r.idempotency_key))).toEqual(new Set([`pi-confirm-${intentId}-1`]));
    expect(charges(h.sandbox)).toHaveLength(1);
  });

  it('after a lost confirmation, a call with another card first asks Stripe for the intent and sends no new confirmation', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    const intentId = created.body.payment_intent_id as string;
    await loseEveryAnswer(h, '/confirm');
    await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' }).expect(502);
    const sent = recordRequests(h);

    const other = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_mastercard',
    });

    expect(other.status).toBe(200);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v1/payment_intents/${intentId}`]);
  });

  it('after a lost confirmation, a call without a card asks Stripe and answers paid', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    await loseEveryAnswer(h, '/confirm');
    await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' }).expect(502);

    const res = await payOrder(h.service.app, userId, { order_id: order.id });

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('succeeded');
  });

  it('a declined card closes its attempt: the next card is confirmed under pi-confirm-<intent>-2', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    const intentId = created.body.payment_intent_id as string;
    const sent = recordRequests(h);

    const declined = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_chargeDeclined',
    });
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({ code: 'card_declined', payment_id: created.body.id });
    await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' }).expect(200);

    expect(sent.filter((r) => r.path.endsWith('/confirm')).map((r) => r.idempotency_key)).toEqual([
      `pi-confirm-${intentId}-1`,
      `pi-confirm-${intentId}-2`,
    ]);
  });

  it('when the PaymentIntent was canceled at Stripe, pay-order answers 409 payment_canceled naming the payment, with or without a card', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    await h.service.deps.stripe.paymentIntents.cancel(created.body.payment_intent_id);

    for (const body of [{ order_id: order.id, payment_method: 'pm_card_visa' }, { order_id: order.id }]) {
      const res = await payOrder(h.service.app, userId, body);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'payment_canceled', payment_id: created.body.id });
    }
    expect(charges(h.sandbox)).toHaveLength(0);
  });

  it('a succeeded payment is counted in payments_total{outcome="succeeded"} and logged with its ids and amount', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const paid = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_visa',
    }).expect(200);

    const metrics = await request(h.service.app).get('/metrics');
    expect(metrics.text).toMatch(/payments_total\{outcome="succeeded"[^}]*\} 1\b/);
    const line = h.service.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'payment succeeded');
    expect(line).toMatchObject({
      payment_id: paid.body.id,
      order_id: order.id,
      payment_intent_id: paid.body.payment_intent_id,
      amount: order.amount,
    });
    const read = await request(h.service.app).get(`/api/payments?order_id=${order.id}`).set(asUser(userId));
    expect(read.body.status).toBe('succeeded');
  });
});

describe('reconciling with Stripe unreachable', () => {
  const h = useHarness({ retryBaseMs: 60_000 });

  it('a failed reconcile is retried no sooner than the back-off: sync_after is a minute ahead, and the log says retry_in_ms 60000', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    await addFault(h.sandbox, { mode: 'error', when: 'after', match: '/confirm' });
    await addFault(h.sandbox, { mode: 'error', when: 'before', match: 'payment_intents', count: 8 });
    await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' }).expect(502);

    const before = Date.now();
    await h.service.deps.worker.reconcileDue();

    const stored = h.service.store.getPaymentByOrder(order.id)!;
    expect(stored.status).toBe('requires_payment_method');
    expect(stored.sync_failures).toBe(1);
    expect(stored.sync_after).toBeGreaterThanOrEqual(before + 60_000);
    const line = h.service.lines
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'could not reconcile the payment with Stripe');
    expect(line).toMatchObject({ payment_id: stored.id, retry_in_ms: 60_000 });
  });
});
