import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { placeOrder } from './support/neighbours.ts';
import { asUser, charges, newUserId, payOrder, useHarness } from './support/harness.ts';

const h = useHarness();

describe('card testing', () => {
  it('when an order had 5 declined cards this hour, the next card is refused with 429 too_many_declines_for_order, also after a restart', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    for (let i = 0; i < 5; i++) {
      await payOrder(h.service.app, userId, {
        order_id: order.id,
        payment_method: 'pm_card_chargeDeclined',
      }).expect(402);
    }

    const refused = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_visa',
    });
    const metrics = await request(h.service.app).get('/metrics');
    await h.service.stop();
    h.service = h.startInstance();
    const afterRestart = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_visa',
    });

    for (const res of [refused, afterRestart]) {
      expect(res.status).toBe(429);
      expect(res.body.code).toBe('too_many_declines_for_order');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(3500);
    }
    expect(charges(h.sandbox).filter((c) => c.status === 'succeeded')).toHaveLength(0);
    expect(metrics.text).toMatch(/card_attempts_capped_total\{limit="order"[^}]*\} 1/);
    expect(metrics.text).toMatch(
      /card_declines_total\{code="card_declined",decline_code="generic_decline"[^}]*\} 5/,
    );
  });

  it('when a lost card is declined, the 402 and the payment say card_declined with no decline code; the log keeps lost_card', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);

    const declined = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_chargeDeclinedLostCard',
    }).expect(402);
    const payment = await request(h.service.app)
      .get(`/api/payment/${declined.body.payment_id}`)
      .set(asUser(userId));

    expect(declined.body).toMatchObject({ code: 'card_declined', decline_code: null });
    expect(declined.body.detail).toBe('Your card was declined.');
    expect(payment.body.last_error).toEqual({
      code: 'card_declined',
      decline_code: null,
      message: 'Your card was declined.',
    });
    expect(JSON.stringify([declined.body, payment.body])).not.toContain('lost_card');
    expect(h.service.lines.some((l) => l.includes('"decline_code":"lost_card"'))).toBe(true);
  });

  it('when insufficient funds decline the card, the customer is told so, with its decline code', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);

    const declined = await payOrder(h.service.app, userId, {
      order_id: order.id,
      payment_method: 'pm_card_chargeDeclinedInsufficientFunds',
    }).expect(402);

    expect(declined.body).toMatchObject({ code: 'card_declined', decline_code: 'insufficient_funds' });
  });
});
