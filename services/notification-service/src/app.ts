import type { Express } from 'express';
import {
  ServiceMetrics,
  createLogger,
  createServiceApp,
  docsRouter,
  serviceTokenProvider,
  type AuthKeys,
  type Logger,
} from '@shop/shared';
import { createOrderClient, createUserClient } from '@shop/shared/clients';
import { createGmailMailer } from './clients/gmailMailer.ts';
import { openApiDocument } from './http/openapi.ts';
import { DEFAULT_SENDER, gmailSettings, type GmailSettings } from './config.ts';
import type { NotificationStore } from './data/notificationStore.ts';
import { createDelivery } from './domain/delivery.ts';
import type { Mailer } from './domain/mailer.ts';
import { createNotifier, type Notifier } from './domain/notifier.ts';
import { createDeliveryWorker, type DeliveryWorker } from './domain/worker.ts';
import { notificationsRouter } from './http/notificationsRouter.ts';

export { openNotificationStore } from './data/sqliteNotificationStore.ts';
export type { NotificationStore } from './data/notificationStore.ts';
export type { DeliveryWorker } from './domain/worker.ts';

export interface DeliveryOptions {
  /** Tries before a mail is marked failed (8). */
  maxAttempts: number;
  /** First retry delay, doubled per try (1000 ms) up to retryMaxMs (300000 ms). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often the worker looks for due mails (500 ms). */
  workerIntervalMs: number;
  /** Gmail timeout while the notify caller waits (2000 ms) and in the worker (10000 ms). */
  inlineTimeoutMs: number;
  sendTimeoutMs: number;
}

const DEFAULT_DELIVERY: DeliveryOptions = {
  maxAttempts: 8,
  retryBaseMs: 1_000,
  retryMaxMs: 300_000,
  workerIntervalMs: 500,
  inlineTimeoutMs: 2_000,
  sendTimeoutMs: 10_000,
};

export interface NotificationServiceOptions {
  store: NotificationStore;
  keys: Pick<AuthKeys, 'publicKey' | 'serviceSecret'>;
  userServiceUrl: string;
  orderServiceUrl: string;
  /**
   * Where mail goes: full settings, or just the URL of a Gmail sandbox (dummy credentials), or a
   * ready Mailer.
   */
  gmail: GmailSettings | { apiUrl: string; sender?: string } | Mailer;
  logger?: Logger;
  metrics?: ServiceMetrics;
  /** Timeout of calls to the user- and order-service (5000 ms). */
  httpTimeoutMs?: number;
  delivery?: Partial<DeliveryOptions>;
  now?: () => Date;
}

export interface NotificationService {
  app: Express;
  /** Not started: call worker.start(), and `await worker.stop()` before closing the store. */
  worker: DeliveryWorker;
  notifier: Notifier;
}

function mailerFor(
  gmail: NotificationServiceOptions['gmail'],
  logger: Logger,
  metrics: ServiceMetrics,
): Mailer {
  if ('send' in gmail) return gmail;
  const settings =
    'clientId' in gmail
      ? gmail
      : gmailSettings({ GMAIL_API_URL: gmail.apiUrl, GMAIL_SENDER: gmail.sender ?? DEFAULT_SENDER });
  return createGmailMailer(settings, logger, metrics);
}

/** Builds the HTTP app and the delivery worker over one store, one mailer and one metrics registry. */
export function createNotificationService(options: NotificationServiceOptions): NotificationService {
  const logger = options.logger ?? createLogger('notification-service', 'silent');
  const metrics = options.metrics ?? new ServiceMetrics('notification-service');
  const settings = { ...DEFAULT_DELIVERY, ...options.delivery };
  const now = options.now ?? (() => new Date());
  const { store, keys } = options;

  const outcomes = metrics.counter(
    'notifications_total',
    'Notifications by type and outcome: sent, queued (for a retry), skipped (muted), failed.',
    ['type', 'status'],
  );
  const recordOutcome = (type: string, status: string) => outcomes.inc({ type, status });
  const token = serviceTokenProvider(keys.serviceSecret, 'notification-service');
  const timeoutMs = options.httpTimeoutMs ?? 5_000;
  const users = createUserClient({ baseURL: options.userServiceUrl, timeoutMs, token, metrics });
  const orders = createOrderClient({ baseURL: options.orderServiceUrl, timeoutMs, token, metrics });
  const mailer = mailerFor(options.gmail, logger, metrics);

  const delivery = createDelivery({
    store,
    mailer,
    settings: { ...settings, retry: { baseMs: settings.retryBaseMs, maxMs: settings.retryMaxMs } },
    logger,
    now,
    recordOutcome,
  });
  const notifier = createNotifier({
    store,
    users,
    orders,
    mailer,
    delivery,
    logger,
    now,
    inlineTimeoutMs: settings.inlineTimeoutMs,
    recordOutcome,
  });
  const worker = createDeliveryWorker({
    store,
    delivery,
    logger,
    now,
    intervalMs: settings.workerIntervalMs,
    sendTimeoutMs: settings.sendTimeoutMs,
  });
  const app = createServiceApp({
    name: 'notification-service',
    logger,
    metrics,
    routes: notificationsRouter(notifier, keys),
    publicRoutes: docsRouter(openApiDocument),
    readiness: () => store.ping(),
  });
  return { app, worker, notifier };
}

/** The HTTP app alone (its worker not started): what supertest tests and neighbours need. */
export function createApp(options: NotificationServiceOptions): Express {
  return createNotificationService(options).app;
}
