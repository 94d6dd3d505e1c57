import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderStore } from '../src/data/orderStore.ts';
import { asUser, buildApp, LAPTOP, newUserId, placeOrder } from './helpers.ts';

let store: OrderStore | undefined;
afterEach(() => store?.close());

describe('order creation limits', () => {
  it('when one user creates more orders than ORDER_CREATE_RATE_LIMIT, 429 rate_limited with Retry-After, and no order is made', async () => {
    const built = buildApp({ limits: { perUser: 2, perAddress: 100 } });
    store = built.store;
    const userId = newUserId();
    await placeOrder(built.app, userId);
    await placeOrder(built.app, userId);

    const refused = await request(built.app).post('/api/order').set(asUser(userId)).send(LAPTOP);
    const otherUser = await request(built.app).post('/api/order').set(asUser(newUserId())).send(LAPTOP);

    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(otherUser.status).toBe(201);
    const list = await request(built.app).get('/api/orders').set(asUser(userId));
    expect(list.body.data).toHaveLength(2);
  });

  it('when many users create orders from one address beyond ORDER_CREATE_ADDRESS_RATE_LIMIT, 429 rate_limited', async () => {
    const built = buildApp({ limits: { perUser: 100, perAddress: 3 } });
    store = built.store;
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await request(built.app).post('/api/order').set(asUser(newUserId())).send(LAPTOP)).status,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });
});
