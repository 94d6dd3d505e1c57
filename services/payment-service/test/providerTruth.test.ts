import { describe, expect, it } from 'vitest';
import { orderStatus, placeOrder } from './support/neighbours.ts';
import {
  addFault,
  charges,
  confirmInBrowser,
  deliverEvent,
  intents,
  newUserId,
  paidOrder,
  payOrder,
  refundAs,
  sandboxControl,
  startHarness,
  useHarness,
  waitFor,
} from './support/harness.ts';

describe('a 500 Stripe saved under an idempotency key', () => {
  const h = useHarness();

  it('when Stripe saves a 500 under the create key, the next pay-order uses a new key and pays: one intent, one charge', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await addFault(h.sandbox, { mode: 'error', when: 'during', match: 'POST /v1/payment_intents' });

    const first = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_visa',
    });
    expect(first.status).toBe(502);
    const again = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_visa',
    });

    expect(again.status).toBe(200);
    expect(intents(h.sandbox)).toHaveLength(1);
    expect(charges(h.sandbox)).toHaveLength(1);
    expect(await orderStatus(h.orders, order)).toBe('Paid');
  });

  it('when Stripe saves a 500 under the refund key, the next refund uses a new key: refunded once', async () => {
    const { userId, order, payment } = await paidOrder(h);
    await addFault(h.sandbox, { mode: 'error', when: 'during', match: 'POST /v1/refunds' });

    expect((await refundAs(h, userId, payment.id)).status).toBe(502);
    const again = await refundAs(h, userId, payment.id);

    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'refunded', refund: { status: 'succeeded' } });
    expect(h.sandbox.state.refunds.size).toBe(1);
    expect(await orderStatus(h.orders, order)).toBe('Refunded');
  });

  it('when an event tells of a second intent of the payment (made under an older key), it is canceled', async () => {
    const { payment } = await paidOrder(h);
    // A second intent carrying the payment's id, as a create answered with a saved 500 might leave.
    const stray = await h.service.deps.stripe.paymentIntents.create({
      amount: 3998,
      currency: 'usd',
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      metadata: { payment_id: payment.id, order_id: payment.order_id },
    });
    await deliverEvent(h, {
      id: 'evt_stray_created',
      object: 'event',
      type: 'payment_intent.created',
      data: { object: stray },
    }).expect(200);

    expect(h.sandbox.state.paymentIntents.get(stray.id)?.status).toBe('canceled');
    expect(h.sandbox.state.paymentIntents.get(payment.payment_intent_id)?.status).toBe('succeeded');
  });

  it("when a signed event claims someone else's intent is a second intent of the payment, that intent is left alone", async () => {
    const { payment } = await paidOrder(h);
    const others = await h.service.deps.stripe.paymentIntents.create({
      amount: 500,
      currency: 'usd',
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      metadata: { payment_id: 'another-payment', order_id: 'another-order' },
    });
    // The event's copy names our payment; Stripe's own copy of the intent does not.
    const forged = { ...others, metadata: { payment_id: payment.id, order_id: payment.order_id } };
    await deliverEvent(h, {
      id: 'evt_forged_stray',
      object: 'event',
      type: 'payment_intent.created',
      data: { object: forged },
    }).expect(200);

    expect(h.sandbox.state.paymentIntents.get(others.id)?.status).toBe('requires_payment_method');
  });
});

describe('a create Stripe refuses', () => {
  const h = useHarness();

  it('when a small JPY order is under the USD account minimum once converted, pay-order answers 422 with Stripe reason and the worker does not retry it', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId, { quantity: 1, price: '50', currency: 'JPY' });

    const res = await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' });

    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'payment_refused', provider_code: 'amount_too_small' });
    const later = Date.now() + 24 * 60 * 60 * 1000;
    expect(h.service.store.paymentsToSync(later, 10)).toEqual([]);
    expect(await orderStatus(h.orders, order)).toBe('Pending');
  });
});

describe('a refund that stays pending', () => {
  const h = useHarness();

  it('when a refund is pending and then fails, the payment stays succeeded and the order Paid; a new refund then succeeds', async () => {
    await h.listenForWebhooks();
    const { userId, order, payment } = await paidOrder(h);
    await sandboxControl(h, '/_sandbox/refunds/hold', { count: 1 });

    const pending = await refundAs(h, userId, payment.id);
    expect(pending.status).toBe(202);
    expect(pending.body).toMatchObject({ status: 'succeeded', refund: { status: 'pending' } });
    expect(await orderStatus(h.orders, order)).toBe('Paid');

    const held = [...h.sandbox.state.refunds.values()][0]!;
    await sandboxControl(h, `/_sandbox/refunds/${held.id}`, { status: 'failed' });
    await waitFor(() => h.service.store.getPayment(payment.id)?.refund?.status === 'failed');
    expect(h.service.store.getPayment(payment.id)).toMatchObject({
      status: 'succeeded',
      refund: { failure_reason: 'expired_or_canceled_card' },
    });
    expect(await orderStatus(h.orders, order)).toBe('Paid');

    const retried = await refundAs(h, userId, payment.id);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'refunded', refund: { status: 'succeeded' } });
    expect(await orderStatus(h.orders, order)).toBe('Refunded');
  });

  it('when a pending refund succeeds with its webhooks lost, the worker finds it and the order becomes Refunded', async () => {
    const { userId, order, payment } = await paidOrder(h);
    await sandboxControl(h, '/_sandbox/refunds/hold', { count: 1 });
    expect((await refundAs(h, userId, payment.id)).status).toBe(202);
    const held = [...h.sandbox.state.refunds.values()][0]!;
    await sandboxControl(h, `/_sandbox/refunds/${held.id}`, { status: 'succeeded' });

    await h.service.deps.worker.reconcileDue();
    await h.service.deps.followUps.runDue();

    expect(h.service.store.getPayment(payment.id)?.status).toBe('refunded');
    await waitFor(async () => (await orderStatus(h.orders, order)) === 'Refunded');
  });
});

describe('reconciliation of every unsettled payment', () => {
  const h = useHarness();

  it('when a client-confirmed payment succeeded at Stripe and its webhooks were lost, pay-order without a card asks Stripe and answers paid', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    await confirmInBrowser(h.sandbox, created.body.payment_intent_id); // no webhook endpoint: lost

    const again = await payOrder(h.service.app, userId, { order_id: order.id });

    expect(again.status).toBe(200);
    expect(again.body.status).toBe('succeeded');
    expect(await orderStatus(h.orders, order)).toBe('Paid');
  });
});

describe('the running worker', () => {
  it('when a client-confirmed payment succeeded at Stripe with its webhooks lost, the running worker finds it without a restart', async () => {
    const h = await startHarness({ worker: true });
    try {
      const userId = newUserId();
      const order = await placeOrder(h.orders, userId);
      const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
      await h.service.deps.worker.reconcileDue(); // checked once while still unpaid
      await confirmInBrowser(h.sandbox, created.body.payment_intent_id); // no webhook endpoint: lost

      await waitFor(() => h.service.store.getPayment(created.body.id)?.status === 'succeeded');
      await waitFor(async () => (await orderStatus(h.orders, order)) === 'Paid');
    } finally {
      await h.close();
    }
  });
});
