import { afterEach, describe, expect, it } from 'vitest';
import { orderStatus, placeOrder } from './support/neighbours.ts';
import {
  addFault,
  charges,
  confirmInBrowser,
  newUserId,
  payOrder,
  sandboxControl,
  startHarness,
  asUser,
  waitFor,
  type Harness,
} from './support/harness.ts';
import request from 'supertest';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const followUps = (harness: Harness, paymentId: string) =>
  harness.service.store.followUps.forPayment(paymentId).map((f) => ({ step: f.step, state: f.state }));

/** True once the payment has both steps and each is in `state`. */
const bothAre = (harness: Harness, paymentId: string, state: string) => {
  const steps = followUps(harness, paymentId);
  return steps.length === 2 && steps.every((f) => f.state === state);
};

/**
 * An order cancelled by its owner while being charged, then charged (confirmed in the browser).
 * Starts `h` with a worker and webhooks; `holdRefund` has Stripe hold the next refund `pending`.
 */
async function cancelledDuringCharge({ holdRefund = false } = {}) {
  h = await startHarness({ worker: true });
  await h.listenForWebhooks();
  const userId = newUserId();
  const order = await placeOrder(h.orders, userId);
  const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
  await request(h.orders.url).post(`/api/order/${order.id}/cancel`).set(asUser(userId)).expect(200);
  if (holdRefund) await sandboxControl(h, '/_sandbox/refunds/hold', { count: 1 });
  expect((await confirmInBrowser(h.sandbox, created.body.payment_intent_id)).status).toBe(200);
  return { userId, order, created };
}

/** As cancelledDuringCharge, once its automatic refund was made and is held `pending` at Stripe. */
async function cancelledDuringChargeWithRefundHeld() {
  const cancelled = await cancelledDuringCharge({ holdRefund: true });
  const held = await waitFor(() => [...h.sandbox.state.refunds.values()][0]);
  await waitFor(() => h.service.store.getPayment(cancelled.created.body.id)?.refund?.status === 'pending');
  return { ...cancelled, held };
}

describe('durable follow-ups after a charge', () => {
  it('when the order-service is down after the charge and the payment-service restarts, the order becomes Paid once both are back', async () => {
    h = await startHarness();
    await h.listenForWebhooks();
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    await h.orders.stop();

    expect((await confirmInBrowser(h.sandbox, created.body.payment_intent_id)).status).toBe(200);
    await waitFor(() => h.service.store.getPayment(created.body.id)?.status === 'succeeded');
    await waitFor(() => h.service.store.followUps.forPayment(created.body.id)[0]!.attempts >= 1);
    await h.service.deps.followUps.idle();
    expect(followUps(h, created.body.id)).toEqual([
      { step: 'mark_paid', state: 'pending' },
      { step: 'send_receipt', state: 'pending' },
    ]);
    expect(h.notify.calls).toHaveLength(0); // the receipt waits for the order to be Paid

    await h.service.stop(); // the process ends with the steps still owed
    await h.orders.restart();
    h.service = h.startInstance({ worker: true });

    await waitFor(async () => (await orderStatus(h.orders, order)) === 'Paid');
    await waitFor(() => h.notify.calls.length === 1);
    await waitFor(() => bothAre(h, created.body.id, 'done'));
    expect(charges(h.sandbox)).toHaveLength(1);
  });

  it('when the owner cancels the order while it is being charged, the charge is refunded once, the payment ends refunded, no receipt goes out and one refund mail does', async () => {
    const { userId, order, created } = await cancelledDuringCharge();

    await waitFor(() => h.service.store.getPayment(created.body.id)?.status === 'refunded');
    await waitFor(() => followUps(h, created.body.id).every((f) => f.state === 'done'));
    const refunds = [...h.sandbox.state.refunds.values()];
    expect(refunds, '1 charge, 1 refund of the whole amount').toHaveLength(1);
    expect(refunds[0]).toMatchObject({ payment_intent: created.body.payment_intent_id, amount: 3998 });
    const steps = h.service.store.followUps.forPayment(created.body.id);
    expect(steps.map((f) => f.step)).toEqual(['mark_paid', 'send_receipt', 'send_refund_notice']);
    for (const step of steps.filter((f) => f.step !== 'send_refund_notice')) {
      expect(step.last_error).toMatch(/cancelled before it could be marked Paid; the charge was refunded/);
    }
    const logged = h.service.lines
      .map((l) => JSON.parse(l))
      .filter((l) => /refunded automatically/.test(l.msg));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 'warn', payment_id: created.body.id, order_id: order.id });
    expect(h.service.lines.filter((l) => l.includes('follow-up blocked'))).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 100)); // several worker ticks: nothing more happens
    expect(h.sandbox.state.refunds.size).toBe(1);
    expect(await orderStatus(h.orders, order)).toBe('Cancelled');
    expect(h.notify.calls.map((c) => c.body)).toEqual([
      { user_id: userId, order_id: order.id, type: 'order_refunded' },
    ]);
  });

  it('when Stripe fails the refund of a cancelled order, the step is retried until the charge is refunded, once', async () => {
    h = await startHarness({ worker: true });
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    await request(h.orders.url).post(`/api/order/${order.id}/cancel`).set(asUser(userId)).expect(200);
    await addFault(h.sandbox, { mode: 'error', match: '/v1/refunds', count: 4 });

    await h.listenForWebhooks();
    expect((await confirmInBrowser(h.sandbox, created.body.payment_intent_id)).status).toBe(200);

    await waitFor(() => h.service.store.getPayment(created.body.id)?.status === 'refunded', 10_000);
    const markPaid = h.service.store.followUps.forPayment(created.body.id)[0]!;
    expect(markPaid.attempts, 'retried after the failed refund').toBeGreaterThanOrEqual(1);
    expect(h.sandbox.state.refunds.size).toBe(1);
    expect(await orderStatus(h.orders, order)).toBe('Cancelled');
    await waitFor(() => h.notify.calls.length === 1);
    expect(h.notify.calls[0]!.body.type, 'no receipt: only the refund mail').toBe('order_refunded');
  });

  it('when the automatic refund of a cancelled order stays pending at Stripe, the payment stays succeeded and no mail goes out; once it succeeds, the payment is refunded and one refund mail goes out', async () => {
    const { userId, order, created, held } = await cancelledDuringChargeWithRefundHeld();
    const markPaid = () => h.service.store.followUps.forPayment(created.body.id)[0]!;
    const attemptsWhilePending = markPaid().attempts;
    await waitFor(() => markPaid().attempts > attemptsWhilePending + 1); // retried while pending
    expect(h.service.store.getPayment(created.body.id)?.status, 'not refunded yet').toBe('succeeded');
    expect(markPaid()).toMatchObject({ state: 'pending' });
    expect(markPaid().last_error).toMatch(/refund .* is pending at Stripe/);
    expect(h.notify.calls, 'no receipt, no refund mail while the refund is pending').toEqual([]);

    await sandboxControl(h, `/_sandbox/refunds/${held.id}`, { status: 'succeeded' });
    await waitFor(() => h.notify.calls.length === 1);
    await waitFor(() => followUps(h, created.body.id).every((f) => f.state === 'done'));
    expect(h.service.store.getPayment(created.body.id)?.status).toBe('refunded');
    expect(h.notify.calls.map((c) => c.body)).toEqual([
      { user_id: userId, order_id: order.id, type: 'order_refunded' },
    ]);
    expect(h.sandbox.state.refunds.size, 'one refund').toBe(1);
    expect(await orderStatus(h.orders, order)).toBe('Cancelled');
    expect(h.service.lines.filter((l) => l.includes('follow-up blocked'))).toEqual([]);
  });

  it('when the pending automatic refund of a cancelled order fails at Stripe, the charge is refunded again and ends refunded with one refund mail', async () => {
    const { order, created, held } = await cancelledDuringChargeWithRefundHeld();
    await sandboxControl(h, `/_sandbox/refunds/${held.id}`, { status: 'failed' });

    await waitFor(() => h.service.store.getPayment(created.body.id)?.status === 'refunded', 10_000);
    await waitFor(() => h.notify.calls.length === 1);
    const refunds = [...h.sandbox.state.refunds.values()];
    expect(refunds.map((r) => r.status)).toEqual(['failed', 'succeeded']);
    expect(h.service.store.getPayment(created.body.id)?.refund).toMatchObject({
      id: refunds[1]!.id,
      status: 'succeeded',
    });
    expect(h.notify.calls.map((c) => c.body.type)).toEqual(['order_refunded']);
    expect(await orderStatus(h.orders, order)).toBe('Cancelled');
  });

  it('when the notification-service fails, the payment still answers 200 and the receipt is retried until it is sent', async () => {
    h = await startHarness({ worker: true });
    h.notify.failNext(3);
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);

    const res = await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' });

    expect(res.status).toBe(200);
    expect(await orderStatus(h.orders, order)).toBe('Paid');
    await waitFor(() => h.notify.calls.length === 1);
    await waitFor(() => bothAre(h, res.body.id, 'done'));
    const receipt = h.service.store.followUps.forPayment(res.body.id).find((f) => f.step === 'send_receipt')!;
    expect(receipt.attempts).toBe(4);
  });
});
