import request from 'supertest';
import { createLogger, type Logger } from '@shop/shared';
import type { Notification } from '@shop/shared/contracts';
import { bearer, serviceToken, testKeys } from '@shop/shared/testing';
import {
  createNotificationService,
  openNotificationStore,
  type DeliveryOptions,
  type NotificationService,
  type NotificationStore,
} from '../../src/app.ts';
import type { Neighbours } from './neighbours.ts';

/** The sender every test uses; its non-ASCII name must survive the trip through MIME. */
export const SENDER = 'Café Shop <shop@example.com>';

/** Short delays so retries happen within a test. */
export const FAST_DELIVERY: Partial<DeliveryOptions> = {
  retryBaseMs: 10,
  retryMaxMs: 40,
  workerIntervalMs: 10,
  inlineTimeoutMs: 1_000,
  sendTimeoutMs: 1_000,
};

export interface TestService extends NotificationService {
  store: NotificationStore;
  /** Stops the worker (waiting for a try in progress), then closes the database. */
  close(): Promise<void>;
}

export function startService(
  n: Neighbours,
  options: { dbPath?: string; logger?: Logger; delivery?: Partial<DeliveryOptions> } = {},
): TestService {
  const store = openNotificationStore(options.dbPath ?? ':memory:');
  const service = createNotificationService({
    store,
    keys: testKeys,
    logger: options.logger ?? createLogger('notification-service', 'silent'),
    userServiceUrl: n.users.url,
    orderServiceUrl: n.orders.url,
    gmail: { apiUrl: n.gmail.url, sender: SENDER },
    httpTimeoutMs: 2_000,
    delivery: { ...FAST_DELIVERY, ...options.delivery },
  });
  return {
    ...service,
    store,
    close: async () => {
      await service.worker.stop();
      store.close();
    },
  };
}

export const asPaymentService = bearer(serviceToken('payment-service'));

export function notify(service: Pick<TestService, 'app'>, body: Record<string, unknown>) {
  return request(service.app).post('/api/notify').set(asPaymentService).send(body);
}

export async function getNotification(service: Pick<TestService, 'app'>, id: string): Promise<Notification> {
  const res = await request(service.app).get(`/api/notifications/${id}`).set(asPaymentService);
  if (res.status !== 200) throw new Error(`GET notification answered ${res.status}: ${res.text}`);
  return res.body as Notification;
}
