import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGmailSandbox, type MessageView, type RunningGmailSandbox } from '@shop/gmail-sandbox';
import { createNotificationService, openNotificationStore } from '@shop/notification-service/app';
import { createApp as createUserApp, createSqliteUserStore } from '@shop/user-service/app';
import { startStripeSandbox, type RunningStripeSandbox } from '@shop/stripe-sandbox';
import { createLogger, serviceTokenProvider, type RunningServer } from '@shop/shared';
import { createNotificationClient, createOrderClient } from '@shop/shared/clients';
import type { User } from '@shop/shared/contracts';
import { listen, testKeys } from '@shop/shared/testing';
import {
  createApp,
  createPayments,
  createStripeClient,
  openPaymentStore,
  startPaymentWorker,
  type PaymentWorker,
} from '../src/app.ts';
import { orderStatus, placeOrder, startOrderService, type OrderService } from './support/neighbours.ts';
import { asUser, intents, waitFor, WEBHOOK_SECRET } from './support/harness.ts';

/** Every real piece: user-, order-, notification- and payment-service, the Stripe and Gmail sandboxes. */
let stripe: RunningStripeSandbox;
let gmail: RunningGmailSandbox;
let orders: OrderService;
let users: RunningServer;
let notifications: RunningServer;
let payments: RunningServer;
let stopWorkers: () => Promise<void>;

beforeAll(async () => {
  const quiet = createLogger('e2e', 'silent');
  stripe = await startStripeSandbox({ port: 0, webhookSecret: WEBHOOK_SECRET });
  gmail = await startGmailSandbox({ port: 0 });
  orders = await startOrderService();
  const userStore = createSqliteUserStore(':memory:');
  users = await listen(
    createUserApp({
      store: userStore,
      keys: testKeys,
      logger: quiet,
      // The welcome mail is not what this test is about: it goes nowhere (port 9 refuses).
      config: { BCRYPT_COST: 4, NOTIFICATION_SERVICE_URL: 'http://127.0.0.1:9', USER_REGISTER_RATE_LIMIT: 0 },
    }),
    quiet,
    () => userStore.close(),
  );
  const notificationStore = openNotificationStore(':memory:');
  const notification = createNotificationService({
    store: notificationStore,
    keys: testKeys,
    logger: quiet,
    userServiceUrl: users.url,
    orderServiceUrl: orders.url,
    gmail: { apiUrl: gmail.url },
  });
  notification.worker.start();
  notifications = await listen(notification.app, quiet, () => notificationStore.close());

  const store = openPaymentStore(':memory:');
  const token = serviceTokenProvider(testKeys.serviceSecret, 'payment-service');
  const service = createPayments({
    logger: quiet,
    store,
    stripe: createStripeClient({
      secretKey: 'sk_test_sandbox',
      apiUrl: stripe.url,
      timeoutMs: 5_000,
      maxNetworkRetries: 2,
    }),
    orders: createOrderClient({ baseURL: orders.url, timeoutMs: 2_000, token }),
    notifications: createNotificationClient({ baseURL: notifications.url, timeoutMs: 5_000, token }),
  });
  const worker: PaymentWorker = startPaymentWorker(service, { intervalMs: 50 });
  payments = await listen(
    createApp({ logger: quiet, keys: testKeys, payments: service, webhookSecret: WEBHOOK_SECRET }),
    quiet,
    () => store.close(),
  );
  stripe.setWebhookUrl(`${payments.url}/api/webhooks/stripe`);
  stopWorkers = async () => {
    await worker.stop();
    await notification.worker.stop();
  };
});

afterAll(async () => {
  stripe.setWebhookUrl(null);
  await stopWorkers();
  await payments.close();
  await notifications.close();
  await Promise.all([users.close(), orders.close(), gmail.close(), stripe.close()]);
});

describe('the whole purchase, every service real', () => {
  it('when a user pays an order of 2 x 19.99 with pm_card_visa, the order is Paid, Stripe has one PaymentIntent of 3998, the receipt arrives, and paying again makes no second PaymentIntent', async () => {
    const registered = await request(users.url)
      .post('/api/user')
      .send({ username: 'buyer1', email: 'buyer1@example.com', password: 'correct horse 42' })
      .expect(201);
    const user = registered.body as User;
    const order = await placeOrder(orders, user.id, { quantity: 2, price: '19.99' });

    const paid = await request(payments.url)
      .post('/api/pay-order')
      .set(asUser(user.id))
      .send({ order_id: order.id, payment_method: 'pm_card_visa' });

    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'succeeded', amount: 3998, currency: 'USD' });
    expect(await orderStatus(orders, order)).toBe('Paid');
    expect(intents(stripe).map((i) => [i.amount, i.status])).toEqual([[3998, 'succeeded']]);
    const receipt = await waitFor(async () => {
      const res = await fetch(`${gmail.url}/api/messages?to=buyer1@example.com`);
      const { messages } = (await res.json()) as { messages: MessageView[] };
      return messages[0];
    });
    expect(receipt.subject).toContain('Your receipt for Notebook');

    const again = await request(payments.url)
      .post('/api/pay-order')
      .set(asUser(user.id))
      .send({ order_id: order.id, payment_method: 'pm_card_visa' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(paid.body.id);
    expect(intents(stripe)).toHaveLength(1);
  });
});
