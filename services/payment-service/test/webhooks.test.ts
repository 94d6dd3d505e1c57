import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { signatureHeader, type StripeEvent } from '@shop/stripe-sandbox';
import { orderStatus, placeOrder } from './support/neighbours.ts';
import {
  addFault,
  asUser,
  charges,
  confirmInBrowser,
  newUserId,
  payOrder,
  useHarness,
  waitFor,
  WEBHOOK_SECRET,
  deliverEvent,
  logged,
  recordStripeRequests,
} from './support/harness.ts';

const h = useHarness();

const deliver = (event: unknown, secret = WEBHOOK_SECRET) => deliverEvent(h, event, secret);

const events = (type?: string): StripeEvent[] =>
  h.sandbox.state.events.map((r) => r.event).filter((e) => type === undefined || e.type === type);

describe('Stripe webhooks', () => {
  it('when the client confirms the PaymentIntent itself, the succeeded webhook marks the order Paid and asks for the receipt', async () => {
    await h.listenForWebhooks();
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);

    const confirmed = await confirmInBrowser(h.sandbox, created.body.payment_intent_id, {
      payment_method: 'pm_card_visa',
    });
    expect(confirmed.body.status).toBe('succeeded');

    await waitFor(async () => (await orderStatus(h.orders, order)) === 'Paid');
    await waitFor(() => h.notify.calls.length === 1);
    const payment = await request(h.service.app).get(`/api/payment/${created.body.id}`).set(asUser(userId));
    expect(payment.body).toMatchObject({ status: 'succeeded', client_secret: null });
  });

  it('when a card needing authentication is approved on the confirmation page, the webhook completes the payment', async () => {
    await h.listenForWebhooks();
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const pending = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_authenticationRequired',
    }).expect(202);

    await confirmInBrowser(h.sandbox, pending.body.payment_intent_id, { action: 'authorize' });

    await waitFor(async () => (await orderStatus(h.orders, order)) === 'Paid');
    expect(charges(h.sandbox)).toHaveLength(1);
  });

  it('when authentication fails, the payment records the failure and the order stays Pending', async () => {
    await h.listenForWebhooks();
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const pending = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_authenticationRequired',
    }).expect(202);

    await confirmInBrowser(h.sandbox, pending.body.payment_intent_id, { action: 'fail' });

    const failed = await waitFor(async () => {
      const res = await request(h.service.app).get(`/api/payment/${pending.body.id}`).set(asUser(userId));
      return res.body.status === 'requires_payment_method' && res.body;
    });
    expect(failed.last_error.code).toBe('payment_intent_authentication_failure');
    expect(await orderStatus(h.orders, order)).toBe('Pending');
  });

  it('when the signature is missing, wrong, or the body was changed, 400 comes back and nothing changes', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    await confirmInBrowser(h.sandbox, created.body.payment_intent_id, { payment_method: 'pm_card_visa' });
    const succeeded = events('payment_intent.succeeded')[0]!;
    const payload = JSON.stringify(succeeded);

    const missing = await request(h.service.app).post('/api/webhooks/stripe').send(payload);
    const wrongSecret = await deliver(succeeded, 'whsec_someone_else');
    const tampered = await request(h.service.app)
      .post('/api/webhooks/stripe')
      .set('stripe-signature', signatureHeader(payload, WEBHOOK_SECRET))
      .send(payload.replace('"succeeded"', '"succeeded" '));

    expect([missing.status, wrongSecret.status, tampered.status]).toEqual([400, 400, 400]);
    expect(missing.body).toMatchObject({
      code: 'missing_signature',
      detail: 'The Stripe-Signature header is missing.',
    });
    expect(wrongSecret.body).toMatchObject({
      code: 'invalid_signature',
      detail: 'The Stripe-Signature does not match the body.',
    });
    expect(tampered.body.code).toBe('invalid_signature');
    expect(await orderStatus(h.orders, order)).toBe('Pending');

    const genuine = await deliver(succeeded);
    expect(genuine.body).toMatchObject({ received: true, outcome: 'processed' });
    await h.service.deps.followUps.idle();
    expect(await orderStatus(h.orders, order)).toBe('Paid');
  });

  it('when Stripe cannot be asked about the event, 503 event_not_processed and a warning; the same event delivered again later is processed', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    await confirmInBrowser(h.sandbox, created.body.payment_intent_id, { payment_method: 'pm_card_visa' });
    const succeeded = events('payment_intent.succeeded')[0]!;
    // The handler reads the intent back from Stripe; every try of the SDK (1 + 2 retries) fails.
    await addFault(h.sandbox, { mode: 'error', match: '/v1/payment_intents', count: 3 });

    const refused = await deliver(succeeded);

    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({
      code: 'event_not_processed',
      detail: 'The event could not be processed now; Stripe will deliver it again.',
    });
    expect(logged(h.service, 'event not processed')).toEqual([
      expect.objectContaining({ level: 'warn', event_id: succeeded.id, type: 'payment_intent.succeeded' }),
    ]);
    expect(await orderStatus(h.orders, order)).toBe('Pending');

    const again = await deliver(succeeded);
    await h.service.deps.followUps.idle();
    expect(again.body).toMatchObject({ received: true, outcome: 'processed' });
    expect(await orderStatus(h.orders, order)).toBe('Paid');
  });

  it('when the same event arrives twice, the second is acknowledged as a duplicate and does nothing', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    await confirmInBrowser(h.sandbox, created.body.payment_intent_id, { payment_method: 'pm_card_visa' });
    const succeeded = events('payment_intent.succeeded')[0]!;

    const first = await deliver(succeeded);
    await h.service.deps.followUps.idle();
    const second = await deliver(succeeded);
    await h.service.deps.followUps.idle();

    expect(first.body.outcome).toBe('processed');
    expect(second.status).toBe(200);
    expect(second.body.outcome).toBe('duplicate');
    expect(h.notify.calls).toHaveLength(1);
  });

  it('when the succeeded event of a payment pay-order already recorded succeeded arrives, it is processed without asking Stripe again', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' }).expect(200);
    await h.service.deps.followUps.idle();
    const sent = recordStripeRequests(h.service);

    const res = await deliver(events('payment_intent.succeeded')[0]);
    await h.service.deps.followUps.idle();

    expect(res.body.outcome).toBe('processed');
    expect(sent).toEqual([]); // the payment is final: nothing Stripe could answer would change it
    expect(await orderStatus(h.orders, order)).toBe('Paid');
    expect(h.notify.calls).toHaveLength(1);
  });

  it('when a canceled event arrives for a payment recorded succeeded, Stripe is asked and the event refused', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' }).expect(200);
    const succeeded = events('payment_intent.succeeded')[0]!;
    const claimed = { ...succeeded, id: `${succeeded.id}x`, type: 'payment_intent.canceled' };
    claimed.data = { object: { ...(succeeded.data.object as object), status: 'canceled' } };
    const sent = recordStripeRequests(h.service);

    const res = await deliver(claimed);

    expect(res.body.outcome).toBe('refused');
    expect(sent).toEqual([expect.objectContaining({ method: 'GET' })]);
    expect(await orderStatus(h.orders, order)).toBe('Paid');
  });

  it('when events arrive in reverse order, the payment ends succeeded and an older failure does not undo it', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    const intentId = created.body.payment_intent_id as string;
    await confirmInBrowser(h.sandbox, intentId, { payment_method: 'pm_card_chargeDeclined' });
    await confirmInBrowser(h.sandbox, intentId, { payment_method: 'pm_card_authenticationRequired' });
    await confirmInBrowser(h.sandbox, intentId, { action: 'authorize' });
    const sent = events().filter((e) => e.type.startsWith('payment_intent.'));
    expect(sent.map((e) => e.type)).toEqual([
      'payment_intent.payment_failed',
      'payment_intent.requires_action',
      'payment_intent.succeeded',
    ]);

    for (const event of [...sent].reverse()) expect((await deliver(event)).status).toBe(200);
    await h.service.deps.followUps.idle();

    const payment = await request(h.service.app).get(`/api/payment/${created.body.id}`).set(asUser(userId));
    expect(payment.body).toMatchObject({ status: 'succeeded', last_error: null });
    expect(await orderStatus(h.orders, order)).toBe('Paid');
  });

  it('when the refund event arrives before the success event, the payment ends refunded and the order Refunded', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    await confirmInBrowser(h.sandbox, created.body.payment_intent_id, { payment_method: 'pm_card_visa' });
    await h.service.deps.stripe.refunds.create({ payment_intent: created.body.payment_intent_id });

    expect((await deliver(events('charge.refunded')[0])).body.outcome).toBe('processed');
    expect((await deliver(events('payment_intent.succeeded')[0])).body.outcome).toBe('processed');
    await h.service.deps.followUps.idle();

    expect(h.service.store.getPayment(created.body.id)?.status).toBe('refunded');
    await waitFor(async () => (await orderStatus(h.orders, order)) === 'Refunded');
  });

  it('when an old failure event arrives after the payment succeeded, the payment stays succeeded', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_chargeDeclined',
    }).expect(402);
    const paid = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_visa',
    }).expect(200);

    const late = await deliver(events('payment_intent.payment_failed')[0]);

    expect(late.body.outcome).toBe('processed');
    const payment = await request(h.service.app).get(`/api/payment/${paid.body.id}`).set(asUser(userId));
    expect(payment.body.status).toBe('succeeded');
  });

  it('when a decline is seen by pay-order and again by its webhook, payments_total counts it once; a client-side decline counts too', async () => {
    await h.listenForWebhooks();
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_chargeDeclined',
    }).expect(402);
    const declinedCount = async () => {
      const metrics = await request(h.service.app).get('/metrics');
      return Number(/payments_total\{outcome="declined"[^}]*\} (\d+)/.exec(metrics.text)?.[1] ?? 0);
    };
    await waitFor(() => h.sandbox.state.events.every((r) => r.delivery.state === 'delivered'));
    expect(await declinedCount()).toBe(1);

    const intentId = h.service.store.getPaymentByOrder(order.id)!.payment_intent_id!;
    await confirmInBrowser(h.sandbox, intentId, { payment_method: 'pm_card_chargeDeclinedLostCard' });
    await waitFor(async () => (await declinedCount()) === 2);
  });

  it('when an event is about a PaymentIntent this service does not know, it is acknowledged and ignored', async () => {
    const res = await deliver({
      id: 'evt_unknown_1',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_not_ours', object: 'payment_intent', status: 'succeeded', metadata: {} } },
    });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('ignored');
  });

  /** A payment_intent.succeeded event as an attacker writes it, correctly signed, about our payment. */
  const claimedSuccess = (payment: {
    id: string;
    order_id: string;
    amount: number;
    payment_intent_id: string;
  }) => ({
    id: `evt_forged_${payment.id.slice(0, 8)}`,
    object: 'event',
    type: 'payment_intent.succeeded',
    data: {
      object: {
        id: payment.payment_intent_id,
        object: 'payment_intent',
        amount: payment.amount,
        currency: 'usd',
        status: 'succeeded',
        metadata: { order_id: payment.order_id, payment_id: payment.id },
      },
    },
  });
  const refusals = async (reason: string) => {
    const metrics = await request(h.service.app).get('/metrics');
    const line = new RegExp(`webhook_events_refused_total\\{[^}]*reason="${reason}"[^}]*\\} (\\d+)`);
    return Number(line.exec(metrics.text)?.[1] ?? 0);
  };

  it('when a signed payment_intent.succeeded event names a payment Stripe never charged, it is refused and the order stays Pending', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);

    const res = await deliver(claimedSuccess(created.body));
    await h.service.deps.followUps.idle();

    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('refused');
    expect(await orderStatus(h.orders, order)).toBe('Pending');
    expect(h.service.store.getPayment(created.body.id)?.status).toBe('requires_payment_method');
    expect(charges(h.sandbox)).toHaveLength(0);
    expect(await refusals('status')).toBe(1);
    expect(h.service.lines.some((l) => l.includes('webhook event refused'))).toBe(true);
  });

  it("when Stripe's real succeeded PaymentIntent has another amount or order than the payment, its genuine event is refused and the order stays Pending", async () => {
    for (const [change, reason] of [
      [{ amount: 50 }, 'amount'],
      [{ metadata: { order_id: '01a1fd62-0000-7000-8000-000000000000' } }, 'order_id'],
    ] as const) {
      const userId = newUserId();
      const order = await placeOrder(h.orders, userId);
      const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
      // Someone holding the API key changes the intent behind the shop's back, then pays it.
      await h.service.deps.stripe.paymentIntents.update(created.body.payment_intent_id, change);
      await confirmInBrowser(h.sandbox, created.body.payment_intent_id, { payment_method: 'pm_card_visa' });
      const genuine = events('payment_intent.succeeded').find(
        (e) => (e.data.object as { id: string }).id === created.body.payment_intent_id,
      );

      const res = await deliver(genuine);
      await h.service.deps.followUps.idle();

      expect(res.body.outcome, reason).toBe('refused');
      expect(await orderStatus(h.orders, order), reason).toBe('Pending');
      expect(await refusals(reason)).toBe(1);
    }
  });

  it('when a signed charge.refunded event claims a refund Stripe does not hold, it is refused and the order stays Paid', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const paid = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_visa',
    }).expect(200);
    const charge = charges(h.sandbox)[0]!;

    const res = await deliver({
      id: 'evt_forged_refund',
      object: 'event',
      type: 'charge.refunded',
      data: { object: { ...charge, refunded: true, amount_refunded: charge.amount } },
    });
    await h.service.deps.followUps.idle();

    expect(res.body.outcome).toBe('refused');
    expect(h.service.store.getPayment(paid.body.id)?.status).toBe('succeeded');
    expect(await orderStatus(h.orders, order)).toBe('Paid');
  });
});
