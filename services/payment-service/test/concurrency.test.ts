import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { orderStatus, placeOrder } from './support/neighbours.ts';
import { asUser, charges, intents, newUserId, payOrder, useHarness } from './support/harness.ts';

const h = useHarness();

/** How often the order's history (read as its owner) records the move to Paid. */
async function paidTransitions(order: { id: string; user_id: string }): Promise<number> {
  const res = await request(h.orders.url).get(`/api/order/${order.id}/history`).set(asUser(order.user_id));
  return (res.body.history as Array<{ to: string }>).filter((entry) => entry.to === 'Paid').length;
}

describe('concurrent pay-order calls', () => {
  it('when 20 calls pay one order at once, all answer the same succeeded payment and Stripe has 1 PaymentIntent and 1 charge', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_visa' }),
      ),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(intents(h.sandbox)).toHaveLength(1);
    expect(charges(h.sandbox)).toHaveLength(1);
    expect(await orderStatus(h.orders, order)).toBe('Paid');
    expect(await paidTransitions(order)).toBe(1);
    await h.service.deps.followUps.idle();
    expect(h.notify.calls).toHaveLength(1);
  });

  it('when two service instances share the database and 10 calls reach each at once, still 1 PaymentIntent and 1 charge', async () => {
    const other = h.startInstance();
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const body = { order_id: order.id, payment_method: 'pm_card_visa' };

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => payOrder(i % 2 === 0 ? h.service.app : other.app, userId, body)),
    );

    // Across instances the in-process lock does not help: the UNIQUE order row, the creation key and
    // Stripe's refusal to confirm a paid intent do. Losers see the winner's result.
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(intents(h.sandbox)).toHaveLength(1);
    expect(charges(h.sandbox)).toHaveLength(1);
    expect(await orderStatus(h.orders, order)).toBe('Paid');
  });

  it('when 20 calls try a declining card at once, the first 5 get 402, the rest 429 (the cap on declines per order), and the order stays Pending with 1 PaymentIntent', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        payOrder(h.service.app, userId, { order_id: order.id, payment_method: 'pm_card_chargeDeclined' }),
      ),
    );

    // Calls for one order run one by one, so the cap is exact even when they arrive together.
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(402), ...Array(15).fill(429)]);
    expect(intents(h.sandbox)).toHaveLength(1);
    expect(charges(h.sandbox)).toHaveLength(5);
    expect(charges(h.sandbox).every((c) => c.status === 'failed')).toBe(true);
    expect(await orderStatus(h.orders, order)).toBe('Pending');
  });
});
