import type { Express } from 'express';
import request from 'supertest';
import type { Logger } from '@shop/shared';
import { NOTIFICATION_REQUESTERS, NotificationType, type Notification } from '@shop/shared/contracts';
import { bearer, metricSample, serviceToken, testEnv, userToken } from '@shop/shared/testing';
import { createApp } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { buildDependencies, type Dependencies } from '../../src/dependencies.ts';
import type { Neighbours } from './neighbours.ts';

/** The sender every test uses; its non-ASCII name must survive the trip through MIME. */
export const SENDER = 'Café Shop <shop@example.com>';

/** Short delays so retries happen within a test. */
export const FAST_DELIVERY = {
  NOTIFY_RETRY_BASE_MS: 10,
  NOTIFY_RETRY_MAX_MS: 40,
  NOTIFY_WORKER_INTERVAL_MS: 10,
  NOTIFY_INLINE_SEND_TIMEOUT_MS: 1_000,
  GMAIL_SEND_TIMEOUT_MS: 1_000,
};

/** Quota and configuration failures retried within a test too (their default is minutes). */
export const FAST_BLOCKED_RETRY = { NOTIFY_BLOCKED_RETRY_BASE_MS: 10, NOTIFY_BLOCKED_RETRY_MAX_MS: 40 };

type Variables = Record<string, string | number | undefined>;

/** The service's dependencies and its app; `close()` stops the worker, then closes the database. */
export type TestService = Dependencies & { app: Express };

/**
 * The notification-service built as main.ts builds it (its worker not started), over a throw-away
 * database, calling the neighbours and the Gmail sandbox with fast retries. `env` overrides any
 * variable (NOTIFICATION_DB_PATH for a file, to test restarts); `logger` captures its log lines.
 */
export function startService(n: Neighbours, options: { env?: Variables; logger?: Logger } = {}): TestService {
  const config = readConfig(
    testEnv('notification-service', {
      LOG_LEVEL: 'silent',
      NOTIFICATION_DB_PATH: ':memory:',
      USER_SERVICE_URL: n.users.url,
      ORDER_SERVICE_URL: n.orders.url,
      GMAIL_API_URL: n.gmail.url,
      GMAIL_SENDER: SENDER,
      HTTP_TIMEOUT_MS: 2_000,
      ...FAST_DELIVERY,
      ...options.env,
    }),
  );
  const deps = buildDependencies(config, { logger: options.logger });
  return { ...deps, app: createApp(deps) };
}

/** The payment-service, which asks for receipts. */
export const asPaymentService = bearer(serviceToken('payment-service', 'notification-service'));
export const asUser = (userId: string) => bearer(userToken(userId));

/** The service that asks for a type of mail (the payment-service for receipts, ...), by its own token. */
export const asRequesterOf = (type: NotificationType) =>
  bearer(serviceToken(NOTIFICATION_REQUESTERS[type], 'notification-service'));

/**
 * POST /api/notify as the service that requests that type (the contract's default type: a
 * receipt when an order is named, else a welcome mail).
 */
export function notify(service: Pick<TestService, 'app'>, body: Record<string, unknown>) {
  const named = NotificationType.safeParse(body.type);
  const type = named.success ? named.data : body.order_id ? 'order_paid' : 'welcome';
  return request(service.app).post('/api/notify').set(asRequesterOf(type)).send(body);
}

/** A notification as its user reads it. */
export async function getNotification(
  service: Pick<TestService, 'app'>,
  userId: string,
  id: string,
): Promise<Notification> {
  const res = await request(service.app).get(`/api/notifications/${id}`).set(asUser(userId));
  if (res.status !== 200) throw new Error(`GET notification answered ${res.status}: ${res.text}`);
  return res.body as Notification;
}

/** A Gmail API call straight to the sandbox, as the sandbox's default grant (what a previous process would have done). */
export async function gmailCall(
  n: Neighbours,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const token = await fetch(`${n.gmail.url}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: 'c',
      client_secret: 's',
      refresh_token: 'sandbox-refresh-token',
    }),
  });
  const { access_token } = (await token.json()) as { access_token: string };
  const res = await fetch(`${n.gmail.url}/gmail/v1/users/me${path}`, {
    method,
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`Gmail ${method} ${path} answered ${res.status}`);
  return res.json();
}

/** The value of one sample of a counter on the service's /metrics (0 when it was never counted). */
export async function counted(
  service: Pick<TestService, 'app'>,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  return metricSample((await request(service.app).get('/metrics')).text, name, labels);
}
