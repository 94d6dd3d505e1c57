import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { orderStatus, placeOrder } from './support/neighbours.ts';
import {
  addFault,
  asUser,
  charges,
  intents,
  loseEveryAnswer,
  newUserId,
  payOrder,
  useHarness,
} from './support/harness.ts';

describe('when Stripe fails', () => {
  const h = useHarness();

  it('when Stripe answers the confirmation with a 500 once, the SDK retry with the same key succeeds with 1 charge', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await addFault(h.sandbox, { mode: 'error', when: 'after', match: '/confirm' });

    const res = await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' });

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('succeeded');
    expect(intents(h.sandbox)).toHaveLength(1);
    expect(charges(h.sandbox)).toHaveLength(1);
    expect(await orderStatus(h.orders, order)).toBe('Paid');
  });

  it('when the creation answer is lost for good, the intent Stripe made is found by its metadata and paid: one intent, one charge', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await loseEveryAnswer(h, 'POST /v1/payment_intents');

    const paid = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_visa',
    });

    expect(paid.status).toBe(200);
    expect(paid.body.payment_intent_id).toBe(intents(h.sandbox)[0]!.id);
    expect(intents(h.sandbox)).toHaveLength(1);
    expect(charges(h.sandbox)).toHaveLength(1);
  });

  it('when the confirmation answer is lost for good, 502 comes back; repeating the call replays the charge instead of making another', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    await loseEveryAnswer(h, '/confirm');

    const lost = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_visa',
    });
    expect(lost.status).toBe(502);
    expect(charges(h.sandbox)).toHaveLength(1); // charged at Stripe ...
    expect(await orderStatus(h.orders, order)).toBe('Pending'); // ... but not known here yet

    const again = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_visa',
    });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('succeeded');
    expect(charges(h.sandbox)).toHaveLength(1);
    expect(await orderStatus(h.orders, order)).toBe('Paid');
  });

  it('when the confirmation answer is lost and the user tries another card, Stripe is asked first and nothing is charged twice', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    await loseEveryAnswer(h, '/confirm');
    await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' }).expect(502);

    const other = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_mastercard',
    });

    expect(other.status).toBe(200);
    expect(other.body.status).toBe('succeeded');
    expect(charges(h.sandbox)).toHaveLength(1);
    expect(charges(h.sandbox)[0]!.payment_method).toBe('pm_card_visa');
  });

  it('when the confirmation answer is lost and nobody calls again, the worker learns the outcome from Stripe and the order becomes Paid', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    await loseEveryAnswer(h, '/confirm');
    await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' }).expect(502);

    await h.service.deps.worker.reconcileDue();
    await h.service.deps.followUps.runDue();

    const payment = await request(h.service.app)
      .get(`/api/payments?order_id=${order.id}`)
      .set(asUser(userId));
    expect(payment.body.status).toBe('succeeded');
    expect(await orderStatus(h.orders, order)).toBe('Paid');
    expect(charges(h.sandbox)).toHaveLength(1);
  });
});

describe('when Stripe is slow', () => {
  const h = useHarness({ stripeTimeoutMs: 300 });

  it('when Stripe does not answer in time, 502 comes back and the next call pays with one PaymentIntent and one charge', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await addFault(h.sandbox, {
      mode: 'timeout',
      when: 'before',
      match: 'POST /v1/payment_intents',
      count: 3,
    });

    const timedOut = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_visa',
    });
    expect(timedOut.status).toBe(502);

    const paid = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_visa',
    });
    expect(paid.status).toBe(200);
    expect(intents(h.sandbox)).toHaveLength(1);
    expect(charges(h.sandbox)).toHaveLength(1);
  });
});
