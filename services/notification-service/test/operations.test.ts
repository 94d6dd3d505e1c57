import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { createLogger, serviceTokenProvider, type RunningServer } from '@shop/shared';
import { createNotificationClient } from '@shop/shared/clients';
import { listen, testKeys } from '@shop/shared/testing';
import { createNotificationService, openNotificationStore } from '../src/app.ts';
import {
  createOrder,
  mailsTo,
  registerUser,
  resetGmail,
  startNeighbours,
  type Neighbours,
} from './support/neighbours.ts';
import { FAST_DELIVERY, notify, startService, type TestService } from './support/service.ts';

let n: Neighbours;
let service: TestService | undefined;
let server: RunningServer | undefined;

beforeAll(async () => {
  n = await startNeighbours();
});
afterAll(async () => {
  await n.close();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await service?.close();
  service = undefined;
  await resetGmail(n.gmail);
});

/** A local port that refuses connections: a neighbour that is down. */
async function deadUrl(): Promise<string> {
  const stopped = await listen(express());
  await stopped.close();
  return stopped.url;
}

describe('health, readiness and metrics', () => {
  it('when the store is open, /health and /ready answer 200; once it is closed, /ready answers 503', async () => {
    const store = openNotificationStore(':memory:');
    const { app } = createNotificationService({
      store,
      keys: testKeys,
      userServiceUrl: n.users.url,
      orderServiceUrl: n.orders.url,
      gmail: { apiUrl: n.gmail.url },
    });

    expect((await request(app).get('/health')).body).toEqual({
      status: 'ok',
      service: 'notification-service',
    });
    expect((await request(app).get('/ready')).status).toBe(200);
    store.close();
    const notReady = await request(app).get('/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body.code).toBe('not_ready');
  });

  it('when mails are sent and skipped, /metrics counts them by type and status', async () => {
    service = startService(n);
    const user = await registerUser(n);
    const order = await createOrder(n, user.id);
    await notify(service, { user_id: user.id, order_id: order.id });
    await notify(service, { user_id: user.id, type: 'welcome' });

    const metrics = (await request(service.app).get('/metrics')).text;

    expect(metrics).toMatch(/notifications_total\{[^}]*type="order_paid"[^}]*status="sent"[^}]*\} 1/);
    expect(metrics).toMatch(/notifications_total\{[^}]*type="welcome"[^}]*status="sent"[^}]*\} 1/);
    // Two sends to Gmail, and the calls to the user- and order-service, each timed.
    expect(metrics).toMatch(
      /http_client_request_duration_seconds_count\{[^}]*target="gmail",method="POST",status="200"[^}]*\} 2/,
    );
    expect(metrics).toMatch(
      /http_client_request_duration_seconds_count\{[^}]*target="user-service"[^}]*status="200"[^}]*\} [1-9]/,
    );
  });
});

describe('when a neighbour is down', () => {
  it('when the user-service is down, notify answers 503 and records nothing, so a later call can still send', async () => {
    const store = openNotificationStore(':memory:');
    const down = createNotificationService({
      store,
      keys: testKeys,
      logger: createLogger('notification-service', 'silent'),
      userServiceUrl: await deadUrl(),
      orderServiceUrl: n.orders.url,
      gmail: { apiUrl: n.gmail.url },
      httpTimeoutMs: 500,
      delivery: FAST_DELIVERY,
    });
    const user = await registerUser(n);

    const res = await notify(down, { user_id: user.id, type: 'welcome' });

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'user_service_unavailable' });
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    expect(store.list({ limit: 10 })).toEqual([]);
    store.close();

    service = startService(n);
    const retried = await notify(service, { user_id: user.id, type: 'welcome' });
    expect(retried.body.status).toBe('sent');
    expect(await mailsTo(n.gmail, user.email)).toHaveLength(1);
  });

  it('when the order-service is down, notify for a receipt answers 503', async () => {
    const store = openNotificationStore(':memory:');
    const down = createNotificationService({
      store,
      keys: testKeys,
      userServiceUrl: n.users.url,
      orderServiceUrl: await deadUrl(),
      gmail: { apiUrl: n.gmail.url },
      httpTimeoutMs: 500,
    });
    const user = await registerUser(n);

    const res = await notify(down, { user_id: user.id, order_id: randomUUID() });

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'order_service_unavailable' });
    store.close();
  });
});

describe('running as a real server', () => {
  it('when started on a port with its worker, a neighbour can notify it over HTTP and the worker stops cleanly', async () => {
    const store = openNotificationStore(':memory:');
    const running = createNotificationService({
      store,
      keys: testKeys,
      userServiceUrl: n.users.url,
      orderServiceUrl: n.orders.url,
      gmail: { apiUrl: n.gmail.url },
    });
    running.worker.start();
    server = await listen(running.app, undefined, async () => {
      await running.worker.stop();
      store.close();
    });
    const user = await registerUser(n);

    const client = createNotificationClient({
      baseURL: server.url,
      timeoutMs: 5_000,
      token: serviceTokenProvider(testKeys.serviceSecret, 'user-service'),
    });

    expect(await client.notify({ user_id: user.id, type: 'welcome' })).toMatchObject({ status: 'sent' });
    expect(await mailsTo(n.gmail, user.email)).toHaveLength(1);
  });
});
