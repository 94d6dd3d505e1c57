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
import type { RunningServer } from '@shop/shared';
import { signatureHeader } from '@shop/stripe-sandbox';
import {
  bearer,
  captureLogs,
  listen,
  logLines,
  metricSample,
  testEnv,
  userToken,
  waitUntil,
} from '@shop/shared/testing';
import {
  buildDependencies,
  createApp,
  readConfig,
  type Dependencies,
  type PaymentStore,
} from '../../src/index.ts';
import {
  placeOrder,
  startNotifyRecorder,
  startOrderService,
  type NotifyRecorder,
  type OrderService,
} from './neighbours.ts';

export const WEBHOOK_SECRET = 'whsec_payment_service_tests';

/** One running payment-service (app, store, optional worker) over a database file that outlives it. */
export interface PaymentInstance {
  app: Express;
  deps: Dependencies;
  store: PaymentStore;
  lines: string[];
  /** Whether its worker runs (otherwise tests drive it: deps.worker.reconcileDue(), deps.followUps.runDue()). */
  worker: boolean;
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
    const config = readConfig(
      testEnv('payment-service', {
        PAYMENT_DB_PATH: dbPath,
        ORDER_SERVICE_URL: orders.url,
        NOTIFICATION_SERVICE_URL: notify.url,
        STRIPE_API_URL: sandbox.url,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_TIMEOUT_MS: options.stripeTimeoutMs ?? 3_000,
        STRIPE_MAX_NETWORK_RETRIES: 2,
        HTTP_TIMEOUT_MS: 2_000,
        HTTP_RETRIES: 0,
        // Short by default so retries happen within a test.
        PAYMENT_RETRY_BASE_MS: options.retryBaseMs ?? 20,
        PAYMENT_WORKER_INTERVAL_MS: 10,
      }),
    );
    const deps = buildDependencies(config, { logger });
    if (opts.worker) deps.worker.start();
    let stopped = false;
    const instance: PaymentInstance = {
      app: createApp(deps),
      deps,
      store: deps.store,
      lines,
      worker: opts.worker ?? false,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await deps.close();
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

/** An order of the user's, paid with pm_card_visa (200), and its payment. */
export async function paidOrder(h: Harness, userId: string = newUserId()) {
  const order = await placeOrder(h.orders, userId);
  const paid = await payOrder(h.service.app, userId, {
    order_id: order.id,
    payment_method: 'pm_card_visa',
  }).expect(200);
  return { userId, order, payment: paid.body as { id: string; order_id: string; payment_intent_id: string } };
}

/** The user asks for the payment's refund (POST /api/payment/:id/refund). */
export function refundAs(h: Harness, userId: string, paymentId: string) {
  return request(h.service.app).post(`/api/payment/${paymentId}/refund`).set(asUser(userId));
}

/** An order of the user's whose payment was created without a card (201): its intent awaits a confirmation. */
export async function unpaidOrder(h: Harness, userId: string = newUserId()) {
  const order = await placeOrder(h.orders, userId);
  const created = await payOrder(h.service.app, userId, { order_id: order.id }).expect(201);
  return {
    userId,
    order,
    payment: created.body as { id: string; order_id: string; payment_intent_id: string },
  };
}

export function intents(sandbox: RunningStripeSandbox): PaymentIntent[] {
  return [...sandbox.state.paymentIntents.values()];
}

export function charges(sandbox: RunningStripeSandbox) {
  return [...sandbox.state.charges.values()];
}

/** The first answer is lost after Stripe did the work, and both SDK retries fail before reaching it. */
export async function loseEveryAnswer(h: Harness, match: string) {
  await addFault(h.sandbox, { mode: 'error', when: 'after', match });
  await addFault(h.sandbox, { mode: 'error', when: 'before', match, count: 2 });
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

/** Posts to one of the sandbox's controls (e.g. refunds that do not settle at once: /_sandbox/refunds/hold). */
export async function sandboxControl(h: Harness, path: string, body: object): Promise<void> {
  const res = await fetch(`${h.sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
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

/** A request the Stripe SDK sent, as its `request` hook reports it. */
export type SentRequest = { method: string; path: string; idempotency_key?: string };

/**
 * Every request the instance's Stripe SDK sends from now on, read from the SDK's own `request` hook:
 * scenario tests see "one charge", which Stripe's idempotency and the service's fallbacks would also
 * give with a mechanism gone; the requests show the mechanism.
 */
export function recordStripeRequests(instance: PaymentInstance): SentRequest[] {
  const sent: SentRequest[] = [];
  instance.deps.stripe.on('request', (event: SentRequest) => sent.push({ ...event }));
  return sent;
}

/** The instance's log lines with this message, parsed. */
export function logged(instance: PaymentInstance, msg: string): Array<Record<string, unknown>> {
  return logLines(instance.lines, msg);
}

/** The value of `payments_total{outcome}` on the instance's /metrics; 0 when not counted yet. */
export async function paymentsTotal(instance: PaymentInstance, outcome: string): Promise<number> {
  return metricSample((await request(instance.app).get('/metrics')).text, 'payments_total', { outcome });
}

/** Posts `event` to the payment-service's webhook endpoint, signed with `secret` as Stripe signs. */
export function deliverEvent(h: Harness, event: unknown, secret = WEBHOOK_SECRET) {
  const payload = JSON.stringify(event);
  return request(h.service.app)
    .post('/api/webhooks/stripe')
    .set('content-type', 'application/json')
    .set('stripe-signature', signatureHeader(payload, secret))
    .send(payload);
}
