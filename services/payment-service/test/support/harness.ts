import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterEach, beforeEach } from 'vitest';
import {
  startStripeSandbox,
  type FaultInput,
  type PaymentIntent,
  type RunningStripeSandbox,
} from '@shop/stripe-sandbox';
import { ServiceMetrics, serviceTokenProvider, type RunningServer } from '@shop/shared';
import { createNotificationClient, createOrderClient } from '@shop/shared/clients';
import { bearer, captureLogs, listen, testKeys, userToken, waitUntil } from '@shop/shared/testing';
import {
  createApp,
  createPayments,
  createStripeClient,
  openPaymentStore,
  startPaymentWorker,
  type Payments,
  type PaymentStore,
  type PaymentWorker,
} from '../../src/app.ts';
import {
  startNotifyRecorder,
  startOrderService,
  type NotifyRecorder,
  type OrderService,
} from './neighbours.ts';

export const WEBHOOK_SECRET = 'whsec_payment_service_tests';

/** One running payment-service (app, store, optional worker) over a database file that outlives it. */
export interface PaymentInstance {
  app: Express;
  payments: Payments;
  store: PaymentStore;
  lines: string[];
  worker?: PaymentWorker;
  /** Stops the worker and closes the database, like a process that ends. */
  stop(): Promise<void>;
}

export interface Harness {
  sandbox: RunningStripeSandbox;
  orders: OrderService;
  notify: NotifyRecorder;
  dbPath: string;
  service: PaymentInstance;
  /** A second payment-service over the same database (another process, or the same one restarted). */
  startInstance(options?: { worker?: boolean }): PaymentInstance;
  /** Serves the current instance on a free port and points the sandbox's webhooks at it. */
  listenForWebhooks(): Promise<RunningServer>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  worker?: boolean;
  /** Short by default so retries happen within a test. */
  retryBaseMs?: number;
  stripeTimeoutMs?: number;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sandbox = await startStripeSandbox({
    port: 0,
    webhookSecret: WEBHOOK_SECRET,
    webhookRetryDelaysMs: [20, 50, 100],
  });
  const orders = await startOrderService();
  const notify = await startNotifyRecorder();
  const dir = mkdtempSync(join(tmpdir(), 'payment-service-'));
  const dbPath = join(dir, 'payments.sqlite');
  const instances: PaymentInstance[] = [];
  const servers: RunningServer[] = [];

  const startInstance = (opts: { worker?: boolean } = {}): PaymentInstance => {
    const { logger, lines } = captureLogs('payment-service');
    const store = openPaymentStore(dbPath);
    const token = serviceTokenProvider(testKeys.serviceSecret, 'payment-service');
    const metrics = new ServiceMetrics('payment-service');
    const payments = createPayments({
      logger,
      store,
      metrics,
      stripe: createStripeClient({
        secretKey: 'sk_test_sandbox',
        apiUrl: sandbox.url,
        timeoutMs: options.stripeTimeoutMs ?? 3_000,
        maxNetworkRetries: 2,
        metrics,
      }),
      orders: createOrderClient({ baseURL: orders.url, timeoutMs: 2_000, token, retries: 0, metrics }),
      notifications: createNotificationClient({
        baseURL: notify.url,
        timeoutMs: 2_000,
        token,
        retries: 0,
        metrics,
      }),
      retryBaseMs: options.retryBaseMs ?? 20,
    });
    const worker = opts.worker ? startPaymentWorker(payments, { intervalMs: 10 }) : undefined;
    let stopped = false;
    const instance: PaymentInstance = {
      app: createApp({ logger, keys: testKeys, payments, webhookSecret: WEBHOOK_SECRET }),
      payments,
      store,
      lines,
      worker,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await worker?.stop();
        await payments.followUps.idle();
        store.close();
      },
    };
    instances.push(instance);
    return instance;
  };

  const harness: Harness = {
    sandbox,
    orders,
    notify,
    dbPath,
    service: startInstance({ worker: options.worker }),
    startInstance,
    listenForWebhooks: async () => {
      const server = await listen(harness.service.app);
      servers.push(server);
      sandbox.setWebhookUrl(`${server.url}/api/webhooks/stripe`);
      return server;
    },
    close: async () => {
      sandbox.setWebhookUrl(null);
      for (const server of servers) await server.close();
      for (const instance of instances) await instance.stop();
      await Promise.all([sandbox.close(), orders.close(), notify.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

export const newUserId = () => randomUUID();
export const asUser = (userId: string) => bearer(userToken(userId));

export function payOrder(app: Express, userId: string, body: object, headers: Record<string, string> = {}) {
  return request(app).post('/api/pay-order').set(asUser(userId)).set(headers).send(body);
}

export function intents(sandbox: RunningStripeSandbox): PaymentIntent[] {
  return [...sandbox.state.paymentIntents.values()];
}

export function charges(sandbox: RunningStripeSandbox) {
  return [...sandbox.state.charges.values()];
}

export async function addFault(sandbox: RunningStripeSandbox, fault: FaultInput): Promise<void> {
  const res = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (res.status !== 201) throw new Error(`fault answered ${res.status}: ${await res.text()}`);
}

/** The browser side of a client-confirmed payment: the sandbox's confirmation page, as JSON. */
export async function confirmInBrowser(
  sandbox: Pick<RunningStripeSandbox, 'url'>,
  intentId: string,
  body: Record<string, string> = { payment_method: 'pm_card_visa' },
) {
  const res = await fetch(`${sandbox.url}/confirm/${intentId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Polls until `check` gives a truthy value; bounded by `timeoutMs`. */
export const waitFor = <T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5_000,
) => waitUntil(check, { timeoutMs, intervalMs: 10 });

/**
 * A fresh harness for every test in the calling scope (file or describe), closed after it:
 * `const h = useHarness();`. The returned object forwards to the current test's harness.
 */
export function useHarness(options: HarnessOptions = {}): Harness {
  let current: Harness | undefined;
  beforeEach(async () => {
    current = await startHarness(options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const now = () => {
    if (!current) throw new Error('useHarness(): the harness exists only inside a test');
    return current;
  };
  // Reads and writes (a test may swap `h.service` for a restarted instance) go to the current one.
  return new Proxy({} as Harness, {
    get: (_target, key) => Reflect.get(now(), key),
    set: (_target, key, value) => Reflect.set(now(), key, value),
  });
}
