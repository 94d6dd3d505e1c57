import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bearer, serviceToken } from '@shop/shared/testing';
import { orderStatus, placeOrder } from './support/neighbours.ts';
import {
  addFault,
  asUser,
  newUserId,
  paidOrder as paidOrderOf,
  payOrder,
  useHarness,
  waitFor,
} from './support/harness.ts';

const h = useHarness();

const paidOrder = (userId?: string) => paidOrderOf(h, userId);

const refund = (paymentId: string, auth: Record<string, string>) =>
  request(h.service.app).post(`/api/payment/${paymentId}/refund`).set(auth);

describe('refunds', () => {
  it('when the owner refunds a paid order, the payment is refunded at Stripe once and the order becomes Refunded', async () => {
    const { userId, order, payment } = await paidOrder();

    const res = await refund(payment.id, asUser(userId));
    const again = await refund(payment.id, asUser(userId));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: payment.id, status: 'refunded' });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('refunded');
    expect(await orderStatus(h.orders, order)).toBe('Refunded');
    const refunds = [...h.sandbox.state.refunds.values()];
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ payment_intent: payment.payment_intent_id, amount: 3998 });
  });

  it('when a service or another user tries to refund, 401 or 404 comes back and nothing is refunded', async () => {
    const { payment } = await paidOrder();
    const stranger = await refund(payment.id, asUser(newUserId()));
    expect(stranger.status).toBe(404);
    expect(h.sandbox.state.refunds.size).toBe(0);

    const byService = await refund(payment.id, bearer(serviceToken('order-service', 'payment-service')));
    expect(byService.status).toBe(401);
    expect(h.sandbox.state.refunds.size).toBe(0);
  });

  it('when the payment has not succeeded, 409 says it cannot be refunded', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const pending = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    const res = await refund(pending.body.id, asUser(userId));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'payment_not_refundable',
      payment_status: 'requires_payment_method',
    });
  });

  it('when Stripe loses the refund answer, 502 comes back and the repeat refunds nothing twice', async () => {
    const { userId, order, payment } = await paidOrder();
    await addFault(h.sandbox, { mode: 'error', when: 'after', match: '/v1/refunds' });
    await addFault(h.sandbox, { mode: 'error', when: 'before', match: '/v1/refunds', count: 2 });

    expect((await refund(payment.id, asUser(userId))).status).toBe(502);
    expect(await orderStatus(h.orders, order)).toBe('Paid');
    const again = await refund(payment.id, asUser(userId));

    expect(again.status).toBe(200);
    expect(h.sandbox.state.refunds.size).toBe(1);
    expect(await orderStatus(h.orders, order)).toBe('Refunded');
  });

  it('when a refund is made at Stripe directly, its webhook marks the payment refunded and the order Refunded', async () => {
    await h.listenForWebhooks();
    const { userId, order, payment } = await paidOrder();

    await h.service.deps.stripe.refunds.create({ payment_intent: payment.payment_intent_id });

    await waitFor(async () => (await orderStatus(h.orders, order)) === 'Refunded');
    const res = await request(h.service.app).get(`/api/payment/${payment.id}`).set(asUser(userId));
    expect(res.body.status).toBe('refunded');
  });

  it('when a refunded order is paid again, 409 comes back and nothing is charged', async () => {
    const { userId, order, payment } = await paidOrder();
    await refund(payment.id, asUser(userId)).expect(200);
    const res = await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('order_refunded');
    expect(h.sandbox.state.charges.size).toBe(1);
  });
});
