import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { serviceTokenProvider, type RunningServer } from '@shop/shared';
import { createApiClient } from '@shop/shared/clients';
import { notificationApi } from '@shop/shared/contracts';
import { listen, testKeys } from '@shop/shared/testing';
import {
  createOrder,
  mailsTo,
  registerUser,
  resetGmail,
  startNeighbours,
  type Neighbours,
} from './support/neighbours.ts';
import { notify, startService, type TestService } from './support/service.ts';

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
    service = startService(n);
    const { app, store } = service;

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

  it('when two mails are sent, /metrics counts them by type and status, and their calls: 4 to Gmail, 1 per mail to the user-service, 1 to the order-service', async () => {
    service = startService(n);
    const user = await registerUser(n);
    const order = await createOrder(n, user.id);
    await notify(service, { user_id: user.id, order_id: order.id });
    await notify(service, { user_id: user.id, type: 'welcome' });

    const metrics = (await request(service.app).get('/metrics')).text;

    expect(metrics).toMatch(/notifications_total\{[^}]*type="order_paid"[^}]*status="sent"[^}]*\} 1/);
    expect(metrics).toMatch(/notifications_total\{[^}]*type="welcome"[^}]*status="sent"[^}]*\} 1/);
    // Two mails to Gmail (a drafts.create and a drafts.send each), and the calls to the user- and
    // order-service, each timed: one user-service call per mail (the user and the preferences come
    // together) and one order-service call for the order mail.
    expect(metrics).toMatch(
      /http_client_request_duration_seconds_count\{[^}]*target="gmail",method="POST",status="200"[^}]*\} 4/,
    );
    expect(metrics).toMatch(
      /http_client_request_duration_seconds_count\{[^}]*target="user-service",method="GET",status="200"[^}]*\} 2\n/,
    );
    expect(metrics).toMatch(
      /http_client_request_duration_seconds_count\{[^}]*target="order-service",method="GET",status="200"[^}]*\} 1\n/,
    );
  });
});

describe('when a neighbour is down', () => {
  it('when the user-service is down, notify answers 503 and records nothing, so a later call can still send', async () => {
    const down = startService(n, { env: { USER_SERVICE_URL: await deadUrl(), HTTP_TIMEOUT_MS: 500 } });
    const user = await registerUser(n);

    const res = await notify(down, { user_id: user.id, type: 'welcome' });

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'user_service_unavailable' });
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    expect(down.store.list({ limit: 10 })).toEqual([]);
    await down.close();

    service = startService(n);
    const retried = await notify(service, { user_id: user.id, type: 'welcome' });
    expect(retried.body.status).toBe('sent');
    expect(await mailsTo(n.gmail, user.email)).toHaveLength(1);
  });

  it('when the order-service is down, notify for a receipt answers 503', async () => {
    service = startService(n, { env: { ORDER_SERVICE_URL: await deadUrl(), HTTP_TIMEOUT_MS: 500 } });
    const user = await registerUser(n);

    const res = await notify(service, { user_id: user.id, order_id: randomUUID() });

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'order_service_unavailable' });
  });
});

describe('when a neighbour answers but not usefully', () => {
  /** A user-service in name only: every call gets `status` with `body`. */
  async function userServiceAnswering(status: number, body: object): Promise<RunningServer> {
    const app = express();
    app.use((_req, res) => {
      res.status(status).json(body);
    });
    return listen(app);
  }

  it('when the user-service answers 200 with a body that is not a user, notify answers 502 upstream_error and records nothing', async () => {
    server = await userServiceAnswering(200, { id: 'not-a-uuid' });
    service = startService(n, { env: { USER_SERVICE_URL: server.url } });
    const userId = randomUUID();

    const res = await notify(service, { user_id: userId, type: 'welcome' });

    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'upstream_error' });
    expect(service.store.list({ user_id: userId, limit: 10 })).toEqual([]);
  });

  it('when the user-service answers 500, notify answers 503 user_service_unavailable and records nothing', async () => {
    server = await userServiceAnswering(500, { code: 'internal_error' });
    service = startService(n, { env: { USER_SERVICE_URL: server.url } });
    const userId = randomUUID();

    const res = await notify(service, { user_id: userId, type: 'welcome' });

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'user_service_unavailable' });
    expect(service.store.list({ user_id: userId, limit: 10 })).toEqual([]);
  });

  it('when the user-service refuses the call with a 403, notify answers 502 upstream_error', async () => {
    server = await userServiceAnswering(403, { code: 'forbidden' });
    service = startService(n, { env: { USER_SERVICE_URL: server.url } });

    const res = await notify(service, { user_id: randomUUID(), type: 'welcome' });

    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'upstream_error' });
  });
});

describe('running as a real server', () => {
  it('when started on a port with its worker, a neighbour can notify it over HTTP and the worker stops cleanly', async () => {
    const running = startService(n);
    server = await listen(running.app, undefined, running.close);
    running.worker.start();
    const user = await registerUser(n);

    const client = createApiClient(notificationApi, {
      baseURL: server.url,
      timeoutMs: 5_000,
      token: serviceTokenProvider(
        testKeys.services['user-service'].privateKey,
        'user-service',
        'notification-service',
      ),
    });

    expect(await client.call('notify', { body: { user_id: user.id, type: 'welcome' } })).toMatchObject({
      status: 'sent',
    });
    expect(await mailsTo(n.gmail, user.email)).toHaveLength(1);
  });
});
