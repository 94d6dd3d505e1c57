import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, serviceTokenProvider } from '@shop/shared';
import { CallError, createApiClient } from '@shop/shared/clients';
import { orderApi } from '@shop/shared/contracts';
import type { RunningServer } from '@shop/shared';
import { listen, testKeys } from '@shop/shared/testing';
import { readConfig } from '../src/config.ts';
import { asService, buildApp, newUserId, placeOrder } from './helpers.ts';

describe('health and readiness', () => {
  it('when the database is open, /health and /ready answer 200', async () => {
    const { app, store } = buildApp();
    expect((await request(app).get('/health')).body).toEqual({ status: 'ok', service: 'order-service' });
    expect((await request(app).get('/ready')).status).toBe(200);
    store.close();
  });

  it('when the database is closed, /ready answers 503 and requests get a generic 500 with no internals', async () => {
    const { app, store } = buildApp();
    const order = await placeOrder(app, newUserId());
    store.close();
    expect((await request(app).get('/ready')).status).toBe(503);
    const res = await request(app).get(`/api/order/${order.id}`).set(asService());
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'internal_error', detail: 'An unexpected error occurred.' });
    expect(JSON.stringify(res.body)).not.toMatch(/database|sqlite|stack/i);
  });

  it('when requests are logged, tokens are not', async () => {
    const { app, store, lines } = buildApp();
    const token = asService().Authorization;
    await request(app).get('/api/orders').set('Authorization', token);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(token.slice('Bearer '.length));
    store.close();
  });
});

describe('configuration', () => {
  it('when nothing is set, the defaults work on a dev machine', () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      ORDER_SERVICE_PORT: 3002,
      HOST: '127.0.0.1',
      ORDER_DEFAULT_CURRENCY: 'USD',
    });
    expect(config.ORDER_DB_PATH).toMatch(/\.data[/\\]order-service\.sqlite$/);
  });

  it('when the default currency is given in lower case, it is read as its ISO code', () => {
    expect(readConfig({ ORDER_DEFAULT_CURRENCY: 'eur' }).ORDER_DEFAULT_CURRENCY).toBe('EUR');
  });

  it('when values are bad, one ConfigError line names each of them', () => {
    const load = () => readConfig({ ORDER_SERVICE_PORT: 'abc', ORDER_DEFAULT_CURRENCY: 'XYZ' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      /^Invalid configuration: ORDER_SERVICE_PORT .*"abc".*; ORDER_DEFAULT_CURRENCY .*"XYZ"/,
    );
  });
});

describe('the typed order client against a real order-service', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start() {
    const { app, store } = buildApp();
    server = await listen(app, undefined, () => store.close());
    const client = createApiClient(orderApi, {
      baseURL: server.url,
      timeoutMs: 2000,
      token: serviceTokenProvider(
        testKeys.services['payment-service'].privateKey,
        'payment-service',
        'order-service',
      ),
    });
    return { app, client };
  }

  it('when the payment-service reads an order and marks it Paid twice, both calls return the Paid order', async () => {
    const { app, client } = await start();
    const order = await placeOrder(app, newUserId(), { product_name: 'Book', quantity: 2, price: 19.99 });
    expect(await client.call('getOrder', { params: { id: order.id } })).toEqual(order);
    const first = await client.call('setOrderStatus', { params: { id: order.id }, body: { status: 'Paid' } });
    const second = await client.call('setOrderStatus', {
      params: { id: order.id },
      body: { status: 'Paid' },
    });
    expect(first).toMatchObject({ status: 'Paid', amount: 3998 });
    expect(second).toEqual(first);
  });

  it('when the client asks for a refused move, the call fails with 409 and is not retried into a change', async () => {
    const { app, client } = await start();
    const order = await placeOrder(app, newUserId());
    const error = await client
      .call('setOrderStatus', { params: { id: order.id }, body: { status: 'Refunded' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallError);
    expect(error).toMatchObject({ status: 409, code: 'invalid_transition' });
    expect((await client.call('getOrder', { params: { id: order.id } })).status).toBe('Pending');
  });

  it('when the order does not exist, getOrder fails with 404', async () => {
    const { client } = await start();
    const error = await client
      .call('getOrder', { params: { id: crypto.randomUUID() } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, code: 'order_not_found' });
  });
});
