import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { asService, asUser, buildApp, moveOrder, newUserId, placeOrder } from './helpers.ts';

// The order rules at their edges, and the `code` (not only the status) of each refusal: the
// scenario tests place ordinary orders and check statuses, which a shifted bound would still pass.
let ctx: ReturnType<typeof buildApp>;
afterEach(() => ctx?.store.close());

const place = (body: object, userId = newUserId()) =>
  request(ctx.app).post('/api/order').set(asUser(userId)).send(body);
const patch = (id: string, status: string) =>
  request(ctx.app).patch(`/api/order/${id}`).set(asService()).send({ status });

describe('the money check of the order body', () => {
  it('when the amount is over the maximum and product_name is missing, one 400 names both fields', async () => {
    ctx = buildApp();
    const res = await place({ price: 999_999.99, quantity: 2 });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { in: 'body', field: 'product_name', message: 'Required' },
      {
        in: 'body',
        field: 'quantity',
        message: 'must be at most 1 at this price: the order amount may be at most $999,999.99 USD',
      },
    ]);
  });

  it.each([['abc'], [-5], [true]])(
    "when the price is %j, the 400 names the price once, with the contract's message",
    async (price) => {
      ctx = buildApp();
      const res = await place({ product_name: 'Thing', quantity: 1, price });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ in: 'body', field: 'price', message: expect.any(String) }]);
    },
  );

  it('when the body is a JSON array, 400 validation_error names the body, not a 500', async () => {
    ctx = buildApp();
    const res = await request(ctx.app).post('/api/order').set(asUser(newUserId())).send([1]);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
  });
});

describe('order amounts at their bounds', () => {
  it.each([
    [{ price: 999_999.99, quantity: 1, currency: 'USD' }, 99_999_999],
    [{ price: '0.50', quantity: 1, currency: 'USD' }, 50],
    [{ price: 0.25, quantity: 2, currency: 'USD' }, 50],
    [{ price: 0.3, quantity: 1, currency: 'GBP' }, 30],
    [{ price: 50, quantity: 1, currency: 'JPY' }, 50],
    [{ price: '333333.33', quantity: 3, currency: 'EUR' }, 99_999_999],
  ])('%j is accepted with amount %i', async (body, amount) => {
    ctx = buildApp();
    const res = await place({ product_name: 'Thing', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.amount).toBe(amount);
    expect(res.body.unit_amount * res.body.quantity).toBe(amount);
  });

  it.each([
    [{ price: 1_000_000, quantity: 1 }, 'price', 'must be at most $999,999.99 USD'],
    [{ price: ' 99999999999999 ', quantity: 1 }, 'price', 'must be at most $999,999.99 USD'],
    [{ price: 1e21, quantity: 1 }, 'price', 'must be at most $999,999.99 USD'],
    [{ price: '1000000e0', quantity: 1 }, 'price', 'must be at most $999,999.99 USD'],
    [{ price: '999999.99e0', quantity: 1 }, 'price', 'must be a positive decimal number such as 19.99'],
    [
      { price: 999_999.99, quantity: 2 },
      'quantity',
      'must be at most 1 at this price: the order amount may be at most $999,999.99 USD',
    ],
    [
      { price: 0.49, quantity: 1 },
      'price',
      'gives an order amount below $0.50 USD, the least that can be charged',
    ],
  ])('%j in USD is refused on %s: %s', async (body, field, message) => {
    ctx = buildApp();
    const res = await place({ product_name: 'Thing', currency: 'USD', ...body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(res.body.errors).toEqual([{ in: 'body', field, message }]);
  });

  it.each([
    ['99999999e0', 'must be a positive decimal number such as 19.99'],
    ['100000000e0', 'must be at most ¥99,999,999 JPY'],
  ])('a JPY price written %s (not a plain decimal) is refused: %s', async (price, message) => {
    ctx = buildApp();
    const res = await place({ product_name: 'Thing', currency: 'JPY', price, quantity: 1 });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ in: 'body', field: 'price', message }]);
  });

  it('a JPY order under ¥50 is refused on price with the yen minimum', async () => {
    ctx = buildApp();
    const res = await place({ product_name: 'Thing', currency: 'JPY', price: 49, quantity: 1 });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        in: 'body',
        field: 'price',
        message: 'gives an order amount below ¥50 JPY, the least that can be charged',
      },
    ]);
  });
});

describe('status moves and their refusals, by code', () => {
  it("an order for another user's id is refused: 403 user_mismatch, saying why", async () => {
    ctx = buildApp();
    const res = await place({ product_name: 'Thing', price: 10, quantity: 1, user_id: newUserId() });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'user_mismatch', detail: 'user_id must be your own user id.' });
  });

  it('moving a Pending order to Pending is no move at all: 409 invalid_transition from Pending to Pending', async () => {
    ctx = buildApp();
    const order = await placeOrder(ctx.app, newUserId());
    const res = await patch(order.id, 'Pending');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'invalid_transition', from: 'Pending', to: 'Pending' });
  });

  it('refunding a Pending order is refused: 409 invalid_transition from Pending to Refunded', async () => {
    ctx = buildApp();
    const order = await placeOrder(ctx.app, newUserId());
    const res = await patch(order.id, 'Refunded');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'invalid_transition', from: 'Pending', to: 'Refunded' });
  });

  it('a repeated Paid report answers the order unchanged, and the history holds one move by the service', async () => {
    ctx = buildApp();
    const userId = newUserId();
    const order = await placeOrder(ctx.app, userId);
    const paid = await moveOrder(ctx.app, order.id, 'Paid');
    const again = await patch(order.id, 'Paid');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(paid);
    const history = await request(ctx.app).get(`/api/order/${order.id}/history`).set(asUser(userId));
    const moves = (history.body.history as Array<{ to: string }>).filter((entry) => entry.to === 'Paid');
    expect(moves).toEqual([
      expect.objectContaining({ from: 'Pending', to: 'Paid', actor: 'service:payment-service' }),
    ]);
  });

  it('a move of an order that does not exist is 404 order_not_found', async () => {
    ctx = buildApp();
    const res = await patch('0190c3c2-7f5c-7b4e-9a3c-1f2d3e4f5a6b', 'Paid');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      code: 'order_not_found',
      detail: 'Order 0190c3c2-7f5c-7b4e-9a3c-1f2d3e4f5a6b was not found.',
    });
  });

  it("another user's order reads as 404 order_not_found, for the order and its history", async () => {
    ctx = buildApp();
    const order = await placeOrder(ctx.app, newUserId());
    for (const path of [`/api/order/${order.id}`, `/api/order/${order.id}/history`]) {
      const res = await request(ctx.app).get(path).set(asUser(newUserId()));
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'order_not_found', detail: `Order ${order.id} was not found.` });
    }
  });
});
