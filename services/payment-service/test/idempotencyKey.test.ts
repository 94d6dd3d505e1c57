import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { placeOrder } from './support/neighbours.ts';
import { addFault, asUser, charges, intents, newUserId, payOrder, useHarness } from './support/harness.ts';

const h = useHarness();

describe('the Idempotency-Key header', () => {
  it('when a declined call is repeated with the same key, the 402 is replayed and the card is not tried again', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const body = { order_id: order.id, payment_method: 'pm_card_chargeDeclined' };

    const first = await payOrder(h.service.app, userId, body, { 'Idempotency-Key': 'try-1' });
    const repeat = await payOrder(h.service.app, userId, body, { 'Idempotency-Key': 'try-1' });

    expect(first.status).toBe(402);
    expect(repeat.status).toBe(402);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.body).toMatchObject({
      code: 'card_declined',
      decline_code: null,
      payment_id: first.body.payment_id,
    });
    expect(charges(h.sandbox)).toHaveLength(1);

    const fresh = await payOrder(h.service.app, userId, body, { 'Idempotency-Key': 'try-2' });
    expect(fresh.status).toBe(402);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect(charges(h.sandbox)).toHaveLength(2);
  });

  it('when a successful call is repeated with the same key, the first answer is replayed', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const body = { order_id: order.id, payment_method: 'pm_card_visa' };
    const first = await payOrder(h.service.app, userId, body, { 'Idempotency-Key': 'pay-1' });
    const repeat = await payOrder(h.service.app, userId, body, { 'Idempotency-Key': 'pay-1' });
    expect(first.status).toBe(200);
    expect(repeat.status).toBe(200);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.body).toEqual(first.body);
    expect(intents(h.sandbox)).toHaveLength(1);
  });

  it('when a key is reused with another body, 422 comes back and nothing is charged', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    await payOrder(h.service.app, userId, { order_id: order.id }, { 'Idempotency-Key': 'k' }).expect(201);
    const res = await payOrder(
      h.service.app,
      userId,
      { order_id: order.id, payment_method: 'pm_card_visa' },
      { 'Idempotency-Key': 'k' },
    );
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('idempotency_key_reused');
    expect(charges(h.sandbox)).toHaveLength(0);
  });

  it('when the key is malformed, 400 names the header', async () => {
    const res = await payOrder(
      h.service.app,
      newUserId(),
      { order_id: newUserId() },
      { 'Idempotency-Key': 'has space' },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { in: 'header', field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  });

  it('when two users use the same key, each gets their own answer', async () => {
    const [alice, bob] = [newUserId(), newUserId()];
    const [a, b] = [await placeOrder(h.orders, alice), await placeOrder(h.orders, bob)];
    const ra = await payOrder(
      h.service.app,
      alice,
      { order_id: a.id, payment_method: 'pm_card_visa' },
      { 'Idempotency-Key': 'same' },
    );
    const rb = await payOrder(
      h.service.app,
      bob,
      { order_id: b.id, payment_method: 'pm_card_visa' },
      { 'Idempotency-Key': 'same' },
    );
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect(ra.body.order_id).toBe(a.id);
    expect(rb.body.order_id).toBe(b.id);
  });

  it('when a refund is retried with its key, the first answer is replayed; another payment is a 422', async () => {
    const userId = newUserId();
    const paid = async () => {
      const order = await placeOrder(h.orders, userId);
      const res = await payOrder(h.service.app, userId, {
        order_id: order.id,
        payment_method: 'pm_card_visa',
      });
      return res.body.id as string;
    };
    const [mine, other] = [await paid(), await paid()];
    const refund = (paymentId: string) =>
      request(h.service.app)
        .post(`/api/payment/${paymentId}/refund`)
        .set(asUser(userId))
        .set('Idempotency-Key', 'refund-1');

    const first = await refund(mine);
    const repeat = await refund(mine);
    const reused = await refund(other);

    expect([first.status, repeat.status]).toEqual([200, 200]);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.body).toEqual(first.body);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect(h.sandbox.state.refunds.size).toBe(1);
  });

  it('when the first call failed with a 5xx, the retry with the same key runs again and pays once', async () => {
    const userId = newUserId();
    const order = await placeOrder(h.orders, userId);
    const body = { order_id: order.id, payment_method: 'pm_card_visa' };
    await addFault(h.sandbox, { mode: 'error', when: 'before', match: '/v1/payment_intents', count: 3 });

    const first = await payOrder(h.service.app, userId, body, { 'Idempotency-Key': 'after-5xx' });
    const retry = await payOrder(h.service.app, userId, body, { 'Idempotency-Key': 'after-5xx' });

    expect(first.status).toBeGreaterThanOrEqual(500);
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(charges(h.sandbox)).toHaveLength(1);
  });
});
