import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { Order } from '@shop/shared/contracts';
import { LAPTOP, asService, asUser, badFields, buildApp, newUserId, placeOrder } from './helpers.ts';

let ctx: ReturnType<typeof buildApp>;
afterEach(() => ctx?.store.close());

const post = (body: unknown, userId = newUserId()) =>
  request(ctx.app)
    .post('/api/order')
    .set(asUser(userId))
    .send(body as object);

describe('POST /api/order', () => {
  it('when a user orders 2 at 19.99, 201 comes back with amount 3998 cents, Pending, in USD', async () => {
    ctx = buildApp();
    const userId = newUserId();
    const res = await post({ product_name: 'Book', quantity: 2, price: 19.99 }, userId);
    expect(res.status).toBe(201);
    expect(Order.parse(res.body)).toEqual({
      id: expect.any(String),
      user_id: userId,
      product_name: 'Book',
      quantity: 2,
      unit_amount: 1999,
      amount: 3998,
      currency: 'USD',
      status: 'Pending',
      created_at: res.body.created_at,
      updated_at: res.body.created_at,
    });
    expect(res.headers.location).toBe(`/api/order/${res.body.id}`);
  });

  it("when the body carries the seed's user_id and it is the caller's, the order is created for them", async () => {
    ctx = buildApp();
    const userId = newUserId();
    const res = await post({ user_id: userId, product_name: 'Laptop', quantity: 1, price: 1000 }, userId);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ user_id: userId, unit_amount: 100000, amount: 100000 });
  });

  it("when the body's user_id is another user's, 403 comes back and nothing is created", async () => {
    ctx = buildApp();
    const userId = newUserId();
    const res = await post({ ...LAPTOP, user_id: newUserId() }, userId);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('user_mismatch');
    const list = await request(ctx.app).get('/api/orders').set(asUser(userId));
    expect(list.body.data).toEqual([]);
  });

  it('when no token is sent, 401 comes back', async () => {
    ctx = buildApp();
    const res = await request(ctx.app).post('/api/order').send(LAPTOP);
    expect(res.status).toBe(401);
  });

  it('when a service token is used, 403 comes back: orders belong to users', async () => {
    ctx = buildApp();
    const res = await request(ctx.app).post('/api/order').set(asService()).send(LAPTOP);
    expect(res.status).toBe(403);
  });

  it('when a price arrives as a decimal string, it is converted exactly', async () => {
    ctx = buildApp();
    const res = await post({ product_name: 'Pen', quantity: 3, price: '0.70' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ unit_amount: 70, amount: 210 });
  });

  it('when a currency is given in lower case, it is stored as its ISO code with its own decimals', async () => {
    ctx = buildApp();
    const res = await post({ product_name: 'Tea', quantity: 2, price: 1500, currency: 'jpy' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ currency: 'JPY', unit_amount: 1500, amount: 3000 });
  });

  it('when no currency is given, the configured default currency is used', async () => {
    ctx = buildApp({ defaultCurrency: 'EUR' });
    const order = await placeOrder(ctx.app, newUserId());
    expect(order.currency).toBe('EUR');
  });

  it('when product_name has surrounding spaces, they are trimmed', async () => {
    ctx = buildApp();
    const res = await post({ ...LAPTOP, product_name: '  Desk lamp ' });
    expect(res.body.product_name).toBe('Desk lamp');
  });
});

describe('POST /api/order money rules', () => {
  it.each([
    ['0.3 x 2 (0.1 + 0.2 written exactly)', { price: 0.3, quantity: 2 }, 30, 60],
    ['the largest amount Stripe takes', { price: 999999.99, quantity: 1 }, 99999999, 99999999],
    ['the maximum quantity near the maximum amount', { price: 999.99, quantity: 1000 }, 99999, 99999000],
    ['exactly the USD minimum', { price: 0.5, quantity: 1 }, 50, 50],
    ['a trailing zero beyond the decimals', { price: '12.500', quantity: 4 }, 1250, 5000],
  ])('when the price is %s, the amount is exact', async (_name, input, unit, amount) => {
    ctx = buildApp();
    const res = await post({ product_name: 'Item', ...input });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ unit_amount: unit, amount });
    expect(res.body.amount).toBe(res.body.unit_amount * res.body.quantity);
  });

  it.each([
    ['0.1 + 0.2 as a float', { price: 0.1 + 0.2 }, 'price', /at most 2 decimal places/],
    ['too many decimals', { price: 1.001 }, 'price', /at most 2 decimal places/],
    ['decimals in a currency without them', { price: 1500.5, currency: 'JPY' }, 'price', /at most 0/],
    ['negative', { price: -5 }, 'price', /positive decimal/],
    ['zero', { price: 0 }, 'price', /least that can be charged/],
    ['below the Stripe minimum', { price: 0.49 }, 'price', /below \$0\.50 USD/],
    ['non-numeric text', { price: 'abc' }, 'price', /positive decimal/],
    ['a boolean', { price: true }, 'price', /must be a number/],
    ['null', { price: null }, 'price', /must be a number/],
    ['missing', { price: undefined }, 'price', /Required/],
    ['above the maximum', { price: 1000000 }, 'price', /at most \$999,999\.99 USD/],
    ['astronomically large', { price: 1e21 }, 'price', /at most \$999,999\.99 USD/],
    ['huge as text', { price: '99999999999999' }, 'price', /at most/],
    ['fine, but the total is above the maximum', { price: 500000, quantity: 2 }, 'quantity', /at most 1 /],
    ['a huge quantity', { quantity: 1e12 }, 'quantity', /at most 1000/],
    ['a zero quantity', { quantity: 0 }, 'quantity', /at least 1/],
    ['a fractional quantity', { quantity: 2.5 }, 'quantity', /whole number/],
    ['a quantity as text', { quantity: '2' }, 'quantity', /whole number/],
    ['an unknown currency', { currency: 'XYZ' }, 'currency', /must be one of/],
  ])('when the order has %s, 400 names that field', async (_name, change, field, message) => {
    ctx = buildApp();
    const res = await post({ ...LAPTOP, ...change });
    expect(res.status).toBe(400);
    expect(badFields(res.body)).toEqual([`body.${field}`]);
    expect(res.body.errors[0].message).toMatch(message);
  });

  it('when several fields are wrong at once, one 400 names each of them, money included', async () => {
    ctx = buildApp();
    const res = await post({ product_name: '', quantity: 1, price: 1.001, coupon: 'FREE' });
    expect(res.status).toBe(400);
    expect(badFields(res.body)).toEqual(['body.coupon', 'body.price', 'body.product_name']);
  });

  it('when the quantity and the price are both wrong, one 400 names both', async () => {
    ctx = buildApp();
    const res = await post({ product_name: 'Book', quantity: 0, price: 19.999 });
    expect(res.status).toBe(400);
    expect(badFields(res.body)).toEqual(['body.price', 'body.quantity']);
  });

  it('when the body is not an object, 400 comes back, not 500', async () => {
    ctx = buildApp();
    const res = await request(ctx.app)
      .post('/api/order')
      .set(asUser(newUserId()))
      .set('content-type', 'application/json')
      .send('[1, 2]');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
  });

  it('when a refused price is sent, nothing is stored', async () => {
    ctx = buildApp();
    const userId = newUserId();
    await post({ ...LAPTOP, price: 0.1 + 0.2 }, userId);
    const list = await request(ctx.app).get('/api/orders').set(asUser(userId));
    expect(list.body.data).toHaveLength(0);
  });
});
