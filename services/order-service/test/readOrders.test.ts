import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { OrderHistory } from '@shop/shared/contracts';
import { asService, asUser, badFields, buildApp, moveOrder, newUserId, placeOrder } from './helpers.ts';

let ctx: ReturnType<typeof buildApp>;
afterEach(() => ctx?.store.close());

describe('GET /api/order/:id', () => {
  it('when the owner asks, 200 comes back with the order', async () => {
    ctx = buildApp();
    const owner = newUserId();
    const order = await placeOrder(ctx.app, owner);
    const res = await request(ctx.app).get(`/api/order/${order.id}`).set(asUser(owner));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(order);
  });

  it('when a service asks, 200 comes back with the order', async () => {
    ctx = buildApp();
    const order = await placeOrder(ctx.app, newUserId());
    const res = await request(ctx.app).get(`/api/order/${order.id}`).set(asService());
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(order.id);
  });

  it('when another user asks, 404 comes back, the same as for an order that does not exist', async () => {
    ctx = buildApp();
    const order = await placeOrder(ctx.app, newUserId());
    const stranger = await request(ctx.app).get(`/api/order/${order.id}`).set(asUser(newUserId()));
    const missing = await request(ctx.app).get(`/api/order/${crypto.randomUUID()}`).set(asUser(newUserId()));
    expect(stranger.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(stranger.body.code).toBe(missing.body.code);
    expect(JSON.stringify(stranger.body)).not.toContain(order.user_id);
  });

  it('when the id is not a UUID, 400 names params.id', async () => {
    ctx = buildApp();
    const res = await request(ctx.app).get('/api/order/42').set(asService());
    expect(res.status).toBe(400);
    expect(badFields(res.body)).toEqual(['params.id']);
  });

  it('when no token is sent, 401 comes back', async () => {
    ctx = buildApp();
    const order = await placeOrder(ctx.app, newUserId());
    expect((await request(ctx.app).get(`/api/order/${order.id}`)).status).toBe(401);
  });

  it('when the token is forged, 401 comes back', async () => {
    ctx = buildApp();
    const order = await placeOrder(ctx.app, newUserId());
    const res = await request(ctx.app)
      .get(`/api/order/${order.id}`)
      .set('Authorization', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.');
    expect(res.status).toBe(401);
  });
});

describe('GET /api/order/:id/history', () => {
  it('when an order was created, paid and refunded, the history lists each change with time and actor', async () => {
    ctx = buildApp();
    const owner = newUserId();
    const order = await placeOrder(ctx.app, owner);
    await moveOrder(ctx.app, order.id, 'Paid');
    await moveOrder(ctx.app, order.id, 'Refunded');
    const res = await request(ctx.app).get(`/api/order/${order.id}/history`).set(asUser(owner));
    expect(res.status).toBe(200);
    const body = OrderHistory.parse(res.body);
    expect(body.order_id).toBe(order.id);
    expect(body.history.map(({ from, to, actor }) => ({ from, to, actor }))).toEqual([
      { from: null, to: 'Pending', actor: `user:${owner}` },
      { from: 'Pending', to: 'Paid', actor: 'service:payment-service' },
      { from: 'Paid', to: 'Refunded', actor: 'service:payment-service' },
    ]);
    expect(body.history[0]!.at).toBe(order.created_at);
    const times = body.history.map((h) => h.at);
    expect([...times].sort()).toEqual(times);
  });

  it("when a service asks, 403 comes back (the history is its owner's); when another user asks, 404", async () => {
    ctx = buildApp();
    const order = await placeOrder(ctx.app, newUserId());
    const asSvc = await request(ctx.app)
      .get(`/api/order/${order.id}/history`)
      .set(asService('payment-service'));
    const asOther = await request(ctx.app).get(`/api/order/${order.id}/history`).set(asUser(newUserId()));
    expect(asSvc.status).toBe(403);
    expect(asOther.status).toBe(404);
  });

  it('when the order does not exist, 404 comes back', async () => {
    ctx = buildApp();
    const res = await request(ctx.app)
      .get(`/api/order/${crypto.randomUUID()}/history`)
      .set(asUser(newUserId()));
    expect(res.status).toBe(404);
  });
});
