import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bearer, serviceToken } from '@shop/shared/testing';
import { orderStatus, placeOrder } from './support/neighbours.ts';
import { asUser, charges, intents, newUserId, payOrder, useHarness, waitFor } from './support/harness.ts';

const h = useHarness();

describe('pay-order with a payment method', () => {
  it('when an order of 2 x 19.99 is paid with pm_card_visa, it is Paid, one PaymentIntent of 3998 exists and the receipt is asked for', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId, { quantity: 2, price: '19.99' });

    const res = await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      order_id: order.id,
      user_id: userId,
      amount: 3998,
      currency: 'USD',
      status: 'succeeded',
      client_secret: null,
      last_error: null,
    });
    expect(await orderStatus(h.orders, order)).toBe('Paid');
    const [intent, ...others] = intents(h.sandbox);
    expect(others).toHaveLength(0);
    expect(intent).toMatchObject({
      id: res.body.payment_intent_id,
      amount: 3998,
      currency: 'usd',
      status: 'succeeded',
      metadata: { order_id: order.id, user_id: userId, payment_id: res.body.id },
    });
    await waitFor(() => h.notify.calls.length === 1);
    expect(h.notify.calls[0]).toEqual({
      body: { user_id: userId, order_id: order.id, type: 'order_paid' },
      caller: 'payment-service',
    });
  });

  it('when a paid order is paid again, the same payment comes back and no second PaymentIntent or charge is made', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const first = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_visa',
    });
    const again = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_mastercard',
    });

    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(intents(h.sandbox)).toHaveLength(1);
    expect(charges(h.sandbox)).toHaveLength(1);
    await h.service.deps.followUps.idle();
    expect(h.notify.calls).toHaveLength(1);
  });

  it.each([
    // generic_decline and lost_card tell the customer nothing useful (lost_card helps a card tester).
    ['pm_card_chargeDeclined', 'card_declined', null],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    // Fraud signals are not told to the client (the logs keep them).
    ['pm_card_chargeDeclinedLostCard', 'card_declined', null],
    // Stripe sends a decline_code with card_declined only: the others answer null, never "".
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', null],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', null],
    ['pm_card_chargeDeclinedProcessingError', 'processing_error', null],
  ])(
    'when the card is declined (%s), 402 %s/%s comes back, the order stays Pending and another card pays the same PaymentIntent',
    async (method, code, declineCode) => {
      const userId = newUserId();
      const order = await placeOrder(h.orders, userId);

      const declined = await payOrder(h.service.app, userId, { order_id: order.id, payment_method: method });

      expect(declined.status).toBe(402);
      expect(declined.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(declined.body).toMatchObject({ status: 402, code, decline_code: declineCode });
      expect(await orderStatus(h.orders, order)).toBe('Pending');
      const stored = await request(h.service.app)
        .get(`/api/payment/${declined.body.payment_id}`)
        .set(asUser(userId));
      expect(stored.body).toMatchObject({
        status: 'requires_payment_method',
        last_error: { code, decline_code: declineCode },
      });

      const paid = await payOrder(h.service.app, userId, {
        order_id: order.id,
        payment_method: 'pm_card_visa',
      });
      expect(paid.status).toBe(200);
      expect(paid.body).toMatchObject({
        id: declined.body.payment_id,
        status: 'succeeded',
        last_error: null,
      });
      expect(await orderStatus(h.orders, order)).toBe('Paid');
      expect(intents(h.sandbox)).toHaveLength(1);
      expect(charges(h.sandbox).map((c) => c.status)).toEqual(['failed', 'succeeded']);
    },
  );

  it('when the card needs authentication, 202 comes back with the client secret and the order stays Pending', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);

    const res = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_authenticationRequired',
    });

    expect(res.status).toBe(202);
    expect(res.body.status).toBe('requires_action');
    expect(res.body.client_secret).toMatch(new RegExp(`^${res.body.payment_intent_id}_secret_`));
    expect(await orderStatus(h.orders, order)).toBe('Pending');
    expect(charges(h.sandbox)).toHaveLength(0);
  });

  it('when the payment method is unknown to Stripe, 400 names the field and a valid card still pays', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const res = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_bogus',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'invalid_payment_method',
      errors: [{ in: 'body', field: 'payment_method' }],
    });

    const paid = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_visa',
    });
    expect(paid.status).toBe(200);
  });
});

describe('pay-order without a payment method', () => {
  it('when no method is given, 201 answers the client secret; asking again answers 202 with the same PaymentIntent', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);

    const first = await payOrder(h.service.app, userId, { order_id: order.id });
    const again = await payOrder(h.service.app, userId, { order_id: order.id });

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'requires_payment_method', amount: 3998 });
    expect(first.body.client_secret).toMatch(/^pi_.+_secret_/);
    expect(again.status).toBe(202);
    expect(again.body.payment_intent_id).toBe(first.body.payment_intent_id);
    expect(intents(h.sandbox)).toHaveLength(1);
    expect(await orderStatus(h.orders, order)).toBe('Pending');
  });
});

describe('pay-order refusals', () => {
  it("when the order is another user's, 404 comes back and nothing is created at Stripe", async () => {
    const order = await placeOrder(h.orders, newUserId());
    const res = await payOrder(h.service.app, newUserId(), {
      order_id: order.id,
      payment_method: 'pm_card_visa',
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('order_not_found');
    expect(intents(h.sandbox)).toHaveLength(0);
  });

  it('when another user retries on an order already paid by its owner, 404 still comes back', async () => {
    const owner = newUserId();
    const order = await placeOrder(h.orders, owner);
    expect(
      (await payOrder(h.service.app, owner, { order_id: order.id, payment_method: 'pm_card_visa' })).status,
    ).toBe(200);
    const res = await payOrder(h.service.app, newUserId(), { order_id: order.id });
    expect(res.status).toBe(404);
  });

  it('when the order does not exist, 404 comes back', async () => {
    const res = await payOrder(h.service.app, newUserId(), {
      order_id: newUserId(),
      payment_method: 'pm_card_visa',
    });
    expect(res.status).toBe(404);
  });

  it('when the order was cancelled, 409 says it is not Pending and nothing is charged', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await request(h.orders.url).post(`/api/order/${order.id}/cancel`).set(asUser(userId)).expect(200);

    const res = await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'order_not_pending', order_status: 'Cancelled' });
    expect(intents(h.sandbox)).toHaveLength(0);
  });

  it('when the order-service is down, 503 comes back and nothing is charged', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await h.orders.stop();
    const res = await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('order_service_unavailable');
    expect(intents(h.sandbox)).toHaveLength(0);
  });

  it('when the body is invalid, 400 names every bad field', async () => {
    const res = await payOrder(h.service.app, newUserId(), {
      order_id: 'nope',
      payment_method: 'visa',
      extra: 1,
    });
    expect(res.status).toBe(400);
    const fields = (res.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(['extra', 'order_id', 'payment_method']);
  });

  it('when there is no token, 401; when a service calls, 401 too (no service may call the payment-service, so it holds no service key)', async () => {
    const body = { order_id: newUserId() };
    expect((await request(h.service.app).post('/api/pay-order').send(body)).status).toBe(401);
    const asService = await request(h.service.app)
      .post('/api/pay-order')
      .set(bearer(serviceToken('order-service', 'payment-service')))
      .send(body);
    expect(asService.status).toBe(401);
  });
});
