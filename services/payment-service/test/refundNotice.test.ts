import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { orderStatus } from './support/neighbours.ts';
import { asUser, paidOrder, sandboxControl, useHarness, waitFor, type Harness } from './support/harness.ts';

const h = useHarness();

const refund = (paymentId: string, userId: string) =>
  request(h.service.app).post(`/api/payment/${paymentId}/refund`).set(asUser(userId));

/** The refund mails the payment-service asked the notification-service for. */
const refundMails = (harness: Harness) =>
  harness.notify.calls.filter((c) => c.body.type === 'order_refunded');

/** Holds the next refund at Stripe as `pending` and refunds the payment: 202, the refund is pending. */
async function pendingRefund(paymentId: string, userId: string) {
  await sandboxControl(h, '/_sandbox/refunds/hold', { count: 1 });
  const res = await refund(paymentId, userId);
  expect(res.status).toBe(202);
  return [...h.sandbox.state.refunds.values()][0]!;
}

describe('the refund notice', () => {
  it('when a refund succeeds, the order becomes Refunded and exactly one refund mail goes out', async () => {
    const { userId, order, payment } = await paidOrder(h);

    expect((await refund(payment.id, userId)).status).toBe(200);
    expect((await refund(payment.id, userId)).status).toBe(200);
    await h.service.deps.followUps.idle();
    await h.service.deps.followUps.runDue();

    expect(await orderStatus(h.orders, order)).toBe('Refunded');
    expect(refundMails(h)).toEqual([
      {
        body: { user_id: userId, order_id: order.id, type: 'order_refunded' },
        caller: 'payment-service',
      },
    ]);
    expect(h.service.store.followUps.forPayment(payment.id).map((f) => [f.step, f.state])).toEqual([
      ['mark_paid', 'done'],
      ['send_receipt', 'done'],
      ['mark_refunded', 'done'],
      ['send_refund_notice', 'done'],
    ]);
  });

  it('when a refund is still pending at Stripe, no refund mail goes out yet; once it succeeds, one does', async () => {
    const { userId, order, payment } = await paidOrder(h);
    const held = await pendingRefund(payment.id, userId);
    await h.service.deps.worker.reconcileDue();
    await h.service.deps.followUps.runDue();
    await h.service.deps.followUps.idle();

    expect(await orderStatus(h.orders, order)).toBe('Paid');
    expect(refundMails(h)).toEqual([]);

    await sandboxControl(h, `/_sandbox/refunds/${held.id}`, { status: 'succeeded' });
    await waitFor(async () => {
      await h.service.deps.worker.reconcileDue();
      await h.service.deps.followUps.runDue();
      await h.service.deps.followUps.idle();
      return refundMails(h).length > 0;
    });
    expect(await orderStatus(h.orders, order)).toBe('Refunded');
    expect(refundMails(h)).toHaveLength(1);
  });

  it('when a pending refund fails, no refund mail goes out and the order stays Paid', async () => {
    await h.listenForWebhooks();
    const { userId, order, payment } = await paidOrder(h);
    const held = await pendingRefund(payment.id, userId);

    await sandboxControl(h, `/_sandbox/refunds/${held.id}`, { status: 'failed' });
    await waitFor(() => h.service.store.getPayment(payment.id)?.refund?.status === 'failed');
    await h.service.deps.worker.reconcileDue();
    await h.service.deps.followUps.runDue();
    await h.service.deps.followUps.idle();

    expect(await orderStatus(h.orders, order)).toBe('Paid');
    expect(refundMails(h)).toEqual([]);
    expect(h.service.store.followUps.forPayment(payment.id).map((f) => f.step)).toEqual([
      'mark_paid',
      'send_receipt',
    ]);
  });
});
