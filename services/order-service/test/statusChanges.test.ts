import type { Express } from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '@shop/shared/contracts';
import { asService, asUser, badFields, buildApp, moveOrder, newUserId, placeOrder } from './helpers.ts';

let ctx: ReturnType<typeof buildApp>;
afterEach(() => ctx?.store.close());

const patch = (app: Express, id: string, status: unknown, auth = asService()) =>
  request(app).patch(`/api/order/${id}`).set(auth).send({ status });
/** The order's history, read as its owner. */
const historyOf = async (app: Express, order: Pick<Order, 'id' | 'user_id'>) =>
  (await request(app).get(`/api/order/${order.id}/history`).set(asUser(order.user_id))).body
    .history as unknown[];

/** An order brought to `status` through the API. */
async function orderIn(app: Express, status: string): Promise<Order> {
  const order = await placeOrder(app, newUserId());
  if (status === 'Pending') return order;
  if (status === 'Refunded') {
    await moveOrder(app, order.id, 'Paid');
    return moveOrder(app, order.id, 'Refunded');
  }
  return moveOrder(app, order.id, status);
}

// Every (from, to) pair, written out rather than derived from the code under test.
const MOVES = [
  ['Pending', 'Pending', 409],
  ['Pending', 'Paid', 'moved'],
  ['Pending', 'Cancelled', 'moved'],
  ['Pending', 'Refunded', 409],
  ['Paid', 'Pending', 409],
  ['Paid', 'Paid', 'repeat'],
  ['Paid', 'Cancelled', 409],
  ['Paid', 'Refunded', 'moved'],
  ['Cancelled', 'Pending', 409],
  ['Cancelled', 'Paid', 409],
  ['Cancelled', 'Cancelled', 'repeat'],
  ['Cancelled', 'Refunded', 409],
  ['Refunded', 'Pending', 409],
  ['Refunded', 'Paid', 409],
  ['Refunded', 'Cancelled', 409],
  ['Refunded', 'Refunded', 'repeat'],
] as const;

describe('PATCH /api/order/:id', () => {
  it.each(MOVES)(
    'when a %s order is moved to %s by a service, the outcome is %s',
    async (from, to, outcome) => {
      ctx = buildApp();
      const before = await orderIn(ctx.app, from);
      const historyBefore = await historyOf(ctx.app, before);
      const res = await patch(ctx.app, before.id, to);
      const historyAfter = await historyOf(ctx.app, before);
      const stored = (await request(ctx.app).get(`/api/order/${before.id}`).set(asService())).body;
      if (outcome === 'moved') {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: before.id, status: to, amount: before.amount });
        expect(stored.status).toBe(to);
        expect(historyAfter).toHaveLength(historyBefore.length + 1);
        expect(historyAfter.at(-1)).toMatchObject({ from, to, actor: 'service:payment-service' });
      } else if (outcome === 'repeat') {
        expect(res.status).toBe(200);
        expect(res.body).toEqual(before);
        expect(historyAfter).toEqual(historyBefore);
      } else {
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ code: 'invalid_transition', from, to });
        expect(res.body.detail).toContain(`from ${from} to ${to}`);
        expect(stored).toEqual(before);
        expect(historyAfter).toEqual(historyBefore);
      }
    },
  );

  it("when the owner's own user token tries to mark the order Paid, 403 comes back and it stays Pending", async () => {
    ctx = buildApp();
    const owner = newUserId();
    const order = await placeOrder(ctx.app, owner);
    const res = await patch(ctx.app, order.id, 'Paid', asUser(owner));
    expect(res.status).toBe(403);
    const stored = await request(ctx.app).get(`/api/order/${order.id}`).set(asUser(owner));
    expect(stored.body.status).toBe('Pending');
    expect(await historyOf(ctx.app, order)).toHaveLength(1);
  });

  it('when no token is sent, 401 comes back and nothing changes', async () => {
    ctx = buildApp();
    const order = await placeOrder(ctx.app, newUserId());
    const res = await request(ctx.app).patch(`/api/order/${order.id}`).send({ status: 'Paid' });
    expect(res.status).toBe(401);
    expect(await historyOf(ctx.app, order)).toHaveLength(1);
  });

  it('when the status is not one of the four, 400 names body.status', async () => {
    ctx = buildApp();
    const order = await placeOrder(ctx.app, newUserId());
    const res = await patch(ctx.app, order.id, 'Shipped');
    expect(res.status).toBe(400);
    expect(badFields(res.body)).toEqual(['body.status']);
  });

  it('when the body tries to change another field too, 400 comes back and nothing changes', async () => {
    ctx = buildApp();
    const order = await placeOrder(ctx.app, newUserId());
    const res = await request(ctx.app)
      .patch(`/api/order/${order.id}`)
      .set(asService())
      .send({ status: 'Paid', amount: 1 });
    expect(res.status).toBe(400);
    expect(badFields(res.body)).toEqual(['body.amount']);
    expect((await request(ctx.app).get(`/api/order/${order.id}`).set(asService())).body.status).toBe(
      'Pending',
    );
  });

  it('when the order does not exist, 404 comes back', async () => {
    ctx = buildApp();
    const res = await patch(ctx.app, crypto.randomUUID(), 'Paid');
    expect(res.status).toBe(404);
  });

  it('when a move is made, updated_at changes and created_at stays', async () => {
    ctx = buildApp();
    const order = await placeOrder(ctx.app, newUserId());
    await new Promise((resolve) => setTimeout(resolve, 5));
    const paid = await moveOrder(ctx.app, order.id, 'Paid');
    expect(paid.created_at).toBe(order.created_at);
    expect(paid.updated_at > order.updated_at).toBe(true);
  });
});

describe('POST /api/order/:id/cancel', () => {
  it('when the owner cancels a Pending order, 200 comes back with Cancelled and the history names the user', async () => {
    ctx = buildApp();
    const owner = newUserId();
    const order = await placeOrder(ctx.app, owner);
    const res = await request(ctx.app).post(`/api/order/${order.id}/cancel`).set(asUser(owner));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('Cancelled');
    expect((await historyOf(ctx.app, order)).at(-1)).toMatchObject({
      from: 'Pending',
      to: 'Cancelled',
      actor: `user:${owner}`,
    });
  });

  it('when the owner cancels a Paid order, 409 comes back and it stays Paid', async () => {
    ctx = buildApp();
    const owner = newUserId();
    const order = await placeOrder(ctx.app, owner);
    await moveOrder(ctx.app, order.id, 'Paid');
    const res = await request(ctx.app).post(`/api/order/${order.id}/cancel`).set(asUser(owner));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'invalid_transition', from: 'Paid', to: 'Cancelled' });
    expect((await request(ctx.app).get(`/api/order/${order.id}`).set(asUser(owner))).body.status).toBe(
      'Paid',
    );
  });

  it('when the owner cancels twice, the second answer is the same 200 and the history has one cancel', async () => {
    ctx = buildApp();
    const owner = newUserId();
    const order = await placeOrder(ctx.app, owner);
    const first = await request(ctx.app).post(`/api/order/${order.id}/cancel`).set(asUser(owner));
    const second = await request(ctx.app).post(`/api/order/${order.id}/cancel`).set(asUser(owner));
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await historyOf(ctx.app, order)).toHaveLength(2);
  });

  it("when a service tries to cancel an order, 403 comes back and it stays Pending: cancelling is the owner's call", async () => {
    ctx = buildApp();
    const order = await placeOrder(ctx.app, newUserId());
    const res = await request(ctx.app)
      .post(`/api/order/${order.id}/cancel`)
      .set(asService('payment-service'));
    expect(res.status).toBe(403);
    expect((await historyOf(ctx.app, order)).at(-1)).toMatchObject({ to: 'Pending' });
  });

  it("when another user tries to cancel someone's order, 404 comes back and it stays Pending", async () => {
    ctx = buildApp();
    const order = await placeOrder(ctx.app, newUserId());
    const res = await request(ctx.app).post(`/api/order/${order.id}/cancel`).set(asUser(newUserId()));
    expect(res.status).toBe(404);
    expect((await request(ctx.app).get(`/api/order/${order.id}`).set(asService())).body.status).toBe(
      'Pending',
    );
  });

  it('when a cancelled order is then reported paid, 409 says from Cancelled to Paid', async () => {
    ctx = buildApp();
    const owner = newUserId();
    const order = await placeOrder(ctx.app, owner);
    await request(ctx.app).post(`/api/order/${order.id}/cancel`).set(asUser(owner));
    const res = await patch(ctx.app, order.id, 'Paid');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ from: 'Cancelled', to: 'Paid' });
  });
});
