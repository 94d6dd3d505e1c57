import request from 'supertest';
import { describe, expect, it } from 'vitest';
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
} from './support/harness.ts';

const h = useHarness();

describe('the payment worker', () => {
  it('when the succeeded webhook was missed while the service was down, the worker finds out at start and the order becomes Paid', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    await h.service.stop();
    // Paid in the browser while nobody listened for webhooks.
    await confirmInBrowser(h.sandbox, created.body.payment_intent_id);

    h.service = h.startInstance({ worker: true });

    await waitFor(async () => (await orderStatus(h.orders, order)) === 'Paid');
    await waitFor(() => h.notify.calls.length === 1);
    expect(h.service.store.getPayment(created.body.id)?.status).toBe('succeeded');
  });

  it('when the service crashed while Stripe was confirming, the restarted worker reconciles and the order becomes Paid without a second charge', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    // The confirmation happens at Stripe but no answer ever comes back (as if the process died).
    await addFault(h.sandbox, { mode: 'error', when: 'after', match: '/confirm' });
    await addFault(h.sandbox, { mode: 'error', when: 'before', match: '/confirm', count: 2 });
    await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' }).expect(502);
    await h.service.stop();

    h.service = h.startInstance({ worker: true });

    await waitFor(async () => (await orderStatus(h.orders, order)) === 'Paid');
    expect(charges(h.sandbox)).toHaveLength(1);
  });

  it('when Stripe is still unreachable, the worker keeps the payment to reconcile later and does not give up', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    await addFault(h.sandbox, { mode: 'error', when: 'after', match: '/confirm' });
    await addFault(h.sandbox, { mode: 'error', when: 'before', match: 'payment_intents', count: 8 });
    await payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' }).expect(502);

    await h.service.deps.worker.reconcileDue(); // Stripe fails again: scheduled for later
    const payment = h.service.store.getPaymentByOrder(order.id)!;
    expect(payment).toMatchObject({
      status: 'requires_payment_method',
      attempt_open: true,
      sync_failures: 1,
    });
    expect(payment.sync_after).toBeGreaterThan(Date.now() - 1000);

    await waitFor(async () => {
      await h.service.deps.worker.reconcileDue();
      return h.service.store.getPaymentByOrder(order.id)!.status === 'succeeded';
    }, 10_000);
  });

  it('when the worker checks a payment Stripe has not moved, the payment reads exactly as before (its updated_at too)', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
    const read = () =>
      request(h.service.app).get(`/api/payment/${created.body.id}`).set(asUser(userId)).expect(200);
    const before = (await read()).body;
    expect(h.service.store.getPayment(created.body.id)?.sync_after).toBe(0); // due for a check now
    await new Promise((resolve) => setTimeout(resolve, 5)); // a rewrite would carry a later timestamp

    await h.service.deps.worker.reconcileDue();

    expect(h.service.store.getPayment(created.body.id)?.sync_failures).toBe(1); // it was checked
    expect((await read()).body).toEqual(before);
  });
});
