import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { placeOrder } from './support/neighbours.ts';
import {
  addFault,
  asUser,
  confirmInBrowser,
  logged,
  newUserId,
  paidOrder,
  payOrder,
  paymentsTotal,
  recordStripeRequests,
  refundAs,
  unpaidOrder,
  useHarness,
} from './support/harness.ts';

// The mechanisms of pay-order the scenario tests do not pin: the problem each refusal answers (code,
// detail, extras), the log lines and counters operators read, the requests sent to Stripe, the
// outcome the domain hands the edge.

const card = (orderId: string, payment_method = 'pm_card_visa') => ({ order_id: orderId, payment_method });

describe('pay-order refusals: code, detail and extras', () => {
  const h = useHarness();

  it('when the order does not exist, 404 order_not_found says "No such order."', async () => {
    const res = await payOrder(h.service.app, newUserId(), card(newUserId()));

    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'order_not_found', detail: 'No such order.' });
  });

  it('when the order-service is down, 503 order_service_unavailable asks to try again, and a warning names the order and the error', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await h.orders.stop();

    const res = await payOrder(h.service.app, userId, card(order.id));

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      code: 'order_service_unavailable',
      detail: 'The order-service is not available; try again shortly.',
    });
    const [line] = logged(h.service, 'order-service did not give the order');
    expect(line).toMatchObject({ level: 'warn', order_id: order.id, err: expect.any(String) });
  });

  it('when the order was cancelled, 409 order_not_pending names its status in the detail and in order_status', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await request(h.orders.url).post(`/api/order/${order.id}/cancel`).set(asUser(userId)).expect(200);

    const res = await payOrder(h.service.app, userId, card(order.id));

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'order_not_pending',
      detail: 'The order is Cancelled; only a Pending order can be paid.',
      order_status: 'Cancelled',
    });
  });

  it('when the order was paid and refunded, paying again answers 409 order_refunded naming the payment', async () => {
    const { userId, order, payment } = await paidOrder(h);
    await refundAs(h, userId, payment.id).expect(200);

    const res = await payOrder(h.service.app, userId, card(order.id));

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'order_refunded',
      detail: 'This order was paid and refunded.',
      payment_id: payment.id,
    });
  });

  it('when the intent was canceled at Stripe, 409 payment_canceled says so; once known, a later card sends nothing to Stripe and opens no attempt', async () => {
    const { userId, order, payment } = await unpaidOrder(h);
    await h.service.deps.stripe.paymentIntents.cancel(payment.payment_intent_id);

    const first = await payOrder(h.service.app, userId, card(order.id));
    expect(first.status).toBe(409);
    expect(first.body).toMatchObject({
      code: 'payment_canceled',
      detail: 'The payment of this order was canceled at Stripe.',
      payment_id: payment.id,
    });
    const attempts = h.service.store.getPayment(payment.id)!.attempt;
    const sent = recordStripeRequests(h.service);

    const again = await payOrder(h.service.app, userId, card(order.id, 'pm_card_mastercard'));

    expect(again.status).toBe(409);
    expect(again.body.code).toBe('payment_canceled');
    expect(sent).toEqual([]);
    expect(h.service.store.getPayment(payment.id)!.attempt).toBe(attempts);
  });
});

describe('pay-order outcomes', () => {
  const h = useHarness();

  it('a new payment is awaiting_confirmation; asked again it is pending, and awaiting_action once a card needs authentication', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const payOrderNow = h.service.deps.payOrder;

    expect((await payOrderNow(userId, { order_id: order.id })).outcome).toBe('awaiting_confirmation');
    expect((await payOrderNow(userId, { order_id: order.id })).outcome).toBe('pending');
    const action = await payOrderNow(userId, card(order.id, 'pm_card_authenticationRequired'));
    expect(action.outcome).toBe('awaiting_action');
    expect((await payOrderNow(userId, { order_id: order.id })).outcome).toBe('awaiting_action');
  });

  it('a payment Stripe reports processing is pending: a card given meanwhile is not sent to Stripe', async () => {
    // The sandbox's cards never stay processing (Stripe's can, briefly): the payment is told so as
    // Stripe would tell it.
    const { userId, order, payment } = await unpaidOrder(h);
    h.service.store.recordIntentState(
      payment.id,
      {
        payment_intent_id: payment.payment_intent_id,
        status: 'processing',
        client_secret: null,
        last_error: null,
      },
      [],
    );
    const sent = recordStripeRequests(h.service);

    const res = await payOrder(h.service.app, userId, card(order.id));

    expect(res.status).toBe(202);
    expect(res.body.status).toBe('processing');
    expect(sent).toEqual([]);
  });
});

describe('pay-order confirmations', () => {
  const h = useHarness();

  it('a card on a payment with no attempt open is confirmed at once, without asking Stripe first', async () => {
    const { userId, order, payment } = await unpaidOrder(h);
    const sent = recordStripeRequests(h.service);

    await payOrder(h.service.app, userId, card(order.id)).expect(200);

    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /v1/payment_intents/${payment.payment_intent_id}/confirm`,
    ]);
  });

  it('a repeat with the same card after a confirmation Stripe never got is sent again under its key, without asking Stripe first', async () => {
    const { userId, order, payment } = await unpaidOrder(h);
    await addFault(h.sandbox, { mode: 'error', when: 'before', match: '/confirm', count: 3 });
    await payOrder(h.service.app, userId, card(order.id)).expect(502);
    const sent = recordStripeRequests(h.service);

    await payOrder(h.service.app, userId, card(order.id)).expect(200);

    expect(sent.map((r) => `${r.method} ${r.path} ${r.idempotency_key}`)).toEqual([
      `POST /v1/payment_intents/${payment.payment_intent_id}/confirm pi-confirm-${payment.payment_intent_id}-1`,
    ]);
  });

  it('the same card declined twice is confirmed under two keys: a closed attempt is never reused', async () => {
    const { userId, order, payment } = await unpaidOrder(h);
    const sent = recordStripeRequests(h.service);

    for (let i = 0; i < 2; i += 1) {
      await payOrder(h.service.app, userId, card(order.id, 'pm_card_chargeDeclined')).expect(402);
    }

    expect(sent.filter((r) => r.path.endsWith('/confirm')).map((r) => r.idempotency_key)).toEqual([
      `pi-confirm-${payment.payment_intent_id}-1`,
      `pi-confirm-${payment.payment_intent_id}-2`,
    ]);
  });

  it("a declined card is logged with its codes, and the payment keeps Stripe's message", async () => {
    const { userId, order, payment } = await unpaidOrder(h);

    await payOrder(h.service.app, userId, card(order.id, 'pm_card_chargeDeclined')).expect(402);

    expect(logged(h.service, 'card declined')).toEqual([
      expect.objectContaining({
        payment_id: payment.id,
        code: 'card_declined',
        decline_code: 'generic_decline',
      }),
    ]);
    const stripeSays = h.sandbox.state.paymentIntents.get(payment.payment_intent_id)!.last_payment_error;
    expect(stripeSays?.message).toEqual(expect.any(String));
    expect(h.service.store.getPayment(payment.id)!.last_error).toEqual({
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: stripeSays!.message,
    });
  });

  it('a card needing authentication is counted once in payments_total{outcome="requires_action"}; a paid card is not', async () => {
    await paidOrder(h);
    expect(await paymentsTotal(h.service, 'requires_action')).toBe(0);
    const { userId, order } = await unpaidOrder(h);

    await payOrder(h.service.app, userId, card(order.id, 'pm_card_authenticationRequired')).expect(202);

    expect(await paymentsTotal(h.service, 'requires_action')).toBe(1);
  });

  it('when Stripe fails every try of the confirmation, 502 comes back, counted as an error and logged as "Stripe did not confirm the payment"', async () => {
    const { userId, order } = await unpaidOrder(h);
    await addFault(h.sandbox, { mode: 'error', when: 'before', match: '/confirm', count: 3 });

    await payOrder(h.service.app, userId, card(order.id)).expect(502);

    expect(await paymentsTotal(h.service, 'error')).toBe(1);
    expect(logged(h.service, 'Stripe did not confirm the payment')).toHaveLength(1);
  });

  it('when the intent was paid meanwhile (Stripe refuses the confirmation) and Stripe then fails every read of it, 502 comes back, logged as "Stripe did not give the payment state"', async () => {
    const { userId, order, payment } = await unpaidOrder(h);
    // Paid in the browser; the payment-service has not heard of it (no webhook here).
    await confirmInBrowser(h.sandbox, payment.payment_intent_id);
    await addFault(h.sandbox, {
      mode: 'error',
      when: 'before',
      match: `GET /v1/payment_intents/${payment.payment_intent_id}`,
      count: 3,
    });

    const res = await payOrder(h.service.app, userId, card(order.id));

    expect(res.status).toBe(502);
    expect(res.body.code).toBe('payment_provider_unavailable');
    expect(logged(h.service, 'Stripe did not give the payment state')).toHaveLength(1);
  });

  it('after 5 declined cards, a call without a card still answers where the payment stands (the cap is on cards)', async () => {
    const { userId, order } = await unpaidOrder(h);
    for (let i = 0; i < 5; i += 1) {
      await payOrder(h.service.app, userId, card(order.id, 'pm_card_chargeDeclined')).expect(402);
    }
    expect((await payOrder(h.service.app, userId, card(order.id))).status).toBe(429);

    const res = await payOrder(h.service.app, userId, { order_id: order.id });

    expect(res.status).toBe(202);
    expect(res.body.status).toBe('requires_payment_method');
  });
});
