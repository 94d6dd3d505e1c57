import express, { type Response } from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyToken, type RunningServer } from '@shop/shared';
import { listen, testAuthKeys, waitUntil } from '@shop/shared/testing';
import { LAPTOP, asUser, buildApp, newUserId } from './helpers.ts';

/** A stand-in notification-service on a real port that records each notify call and never answers it. */
async function silentNotificationService() {
  const received: Array<{ body: unknown; authorization: string | undefined }> = [];
  const pending: Response[] = [];
  const app = express().use(express.json());
  app.post('/api/notify', (req, res) => {
    received.push({ body: req.body, authorization: req.get('authorization') });
    pending.push(res);
  });
  return { server: await listen(app), received, pending };
}

let ctx: ReturnType<typeof buildApp> | undefined;
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  ctx?.store.close();
  ctx = server = undefined;
});

describe('the order_created mail request', () => {
  it('when an order is created and the notification-service does not answer, 201 comes back while its order_created call, made with the order-service token and carrying the order, is still open', async () => {
    const silent = await silentNotificationService();
    server = silent.server;
    ctx = buildApp({ notificationServiceUrl: silent.server.url, mailTimeoutMs: 120_000 });
    const userId = newUserId();

    const res = await request(ctx.app).post('/api/order').set(asUser(userId)).send(LAPTOP);

    expect(res.status).toBe(201);
    await waitUntil(() => silent.received.length === 1, { what: 'the notify call' });
    // The order itself goes along: the notification-service writes the mail without reading it back.
    expect(silent.received[0]!.body).toEqual({
      user_id: userId,
      order_id: res.body.id,
      type: 'order_created',
      order: res.body,
    });
    const token = silent.received[0]!.authorization?.replace(/^Bearer /, '') ?? '';
    expect(verifyToken(testAuthKeys('notification-service'), token)).toEqual({
      kind: 'service',
      service: 'order-service',
    });
    expect(silent.pending[0]!.headersSent).toBe(false);
  });

  it('when nothing listens at NOTIFICATION_SERVICE_URL, the order is still created and a warning without the token is logged', async () => {
    ctx = buildApp(); // port 9: refused
    const res = await request(ctx.app).post('/api/order').set(asUser(newUserId())).send(LAPTOP);

    expect(res.status).toBe(201);
    const failed = () => ctx!.lines.find((l) => l.includes('order_created mail request failed'));
    await waitUntil(failed, { what: 'the warning' });
    expect(JSON.parse(failed()!)).toMatchObject({ level: 'warn', order_id: res.body.id });
    expect(failed()).not.toMatch(/Bearer|eyJ/);
  });
});
