import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi } from '@shop/shared';
import { bearer, documentedRoutes, routesOf, serviceToken } from '@shop/shared/testing';
import { Payment, paymentApi } from '@shop/shared/contracts';
import { placeOrder } from './support/neighbours.ts';
import { asUser, newUserId, payOrder, startHarness, type Harness } from './support/harness.ts';

let h: Harness;
let owner: string;
let orderId: string;
let paymentId: string;
beforeAll(async () => {
  h = await startHarness();
  owner = newUserId();
  const order = await placeOrder(h.orders, owner);
  orderId = order.id;
  const paid = await payOrder(h.service.app, owner, {
    order_id: order.id,
    payment_method: 'pm_card_visa',
  }).expect(200);
  paymentId = paid.body.id;
});
afterAll(async () => {
  await h.close();
});

const get = (path: string, auth: Record<string, string>) => request(h.service.app).get(path).set(auth);

describe('reading payments', () => {
  it('when the owner reads the payment by id or by order, the contract shape comes back', async () => {
    const byId = await get(`/api/payment/${paymentId}`, asUser(owner));
    const byOrder = await get(`/api/payments?order_id=${orderId}`, asUser(owner));
    expect(byId.status).toBe(200);
    expect(Payment.parse(byId.body)).toMatchObject({ id: paymentId, order_id: orderId, status: 'succeeded' });
    expect(byOrder.body).toEqual(byId.body);
  });

  it('when a service reads it, 401 (no service may call the payment-service: it holds no service key); when another user does, 404 as if it did not exist', async () => {
    const asService = bearer(serviceToken('notification-service', 'payment-service'));
    expect((await get(`/api/payment/${paymentId}`, asService)).status).toBe(401);
    expect((await get(`/api/payments?order_id=${orderId}`, asService)).status).toBe(401);
    const stranger = await get(`/api/payment/${paymentId}`, asUser(newUserId()));
    expect(stranger.status).toBe(404);
    expect(stranger.body.code).toBe('payment_not_found');
    expect((await get(`/api/payments?order_id=${orderId}`, asUser(newUserId()))).status).toBe(404);
  });

  it('when an order has no payment, 404; when the id or query is malformed, 400 names it', async () => {
    expect((await get(`/api/payments?order_id=${newUserId()}`, asUser(owner))).status).toBe(404);
    const badId = await get('/api/payment/42', asUser(owner));
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toEqual([{ in: 'params', field: 'id', message: 'must be a UUID' }]);
    const noQuery = await get('/api/payments', asUser(owner));
    expect(noQuery.status).toBe(400);
    expect(noQuery.body.errors[0]).toMatchObject({ in: 'query', field: 'order_id' });
  });

  it('when there is no token, 401', async () => {
    expect((await request(h.service.app).get(`/api/payment/${paymentId}`)).status).toBe(401);
  });

  it('when /metrics is read, payments_total counts the succeeded payment', async () => {
    const res = await request(h.service.app).get('/metrics');
    expect(res.text).toMatch(/payments_total\{outcome="succeeded",service="payment-service"\} 1/);
  });

  it('when /metrics is read, the calls to Stripe and to the order- and notification-service have durations', async () => {
    const res = await request(h.service.app).get('/metrics');
    const counted = (target: string) =>
      res.text
        .split('\n')
        .filter((l) => l.startsWith('http_client_request_duration_seconds_count{'))
        .filter((l) => l.includes(`target="${target}"`) && l.includes('status="200"'))
        .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    expect(counted('stripe')).toBeGreaterThan(0);
    expect(counted('order-service')).toBeGreaterThan(0);
    expect(counted('notification-service')).toBeGreaterThan(0);
  });

  it('when /health and /ready are asked, both answer 200', async () => {
    expect((await request(h.service.app).get('/health')).body).toEqual({
      status: 'ok',
      service: 'payment-service',
    });
    expect((await request(h.service.app).get('/ready')).status).toBe(200);
  });
});

describe('API documentation', () => {
  it('documents exactly the routes the service serves, at /openapi.json and /docs', async () => {
    expect(documentedRoutes(buildOpenApi(paymentApi))).toEqual(routesOf(h.service.app));
    const doc = await request(h.service.app).get('/openapi.json');
    expect(doc.body.paths['/api/pay-order'].post.responses['402']).toBeDefined();
    expect((await request(h.service.app).get('/docs')).status).toBe(200);
  });
});
