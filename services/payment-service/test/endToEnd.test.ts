import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGmailSandbox, type MessageView, type RunningGmailSandbox } from '@shop/gmail-sandbox';
import * as notificationService from '@shop/notification-service';
import * as userService from '@shop/user-service';
import { startStripeSandbox, type RunningStripeSandbox } from '@shop/stripe-sandbox';
import { createLogger, type RunningServer } from '@shop/shared';
import { forwardingApp, listen, registerVerifiedUser, testEnv } from '@shop/shared/testing';
import { buildDependencies, createApp, readConfig } from '../src/index.ts';
import { orderStatus, placeOrder, startOrderService, type OrderService } from './support/neighbours.ts';
import { asUser, intents, waitFor, WEBHOOK_SECRET } from './support/harness.ts';

/** Every real piece: user-, order-, notification- and payment-service, the Stripe and Gmail sandboxes. */
let stripe: RunningStripeSandbox;
let gmail: RunningGmailSandbox;
let orders: OrderService;
let users: RunningServer;
let notifications: RunningServer;
let closeNotifications: (() => Promise<void>) | undefined;
let payments: RunningServer;

beforeAll(async () => {
  const quiet = createLogger('e2e', 'silent');
  stripe = await startStripeSandbox({ port: 0, webhookSecret: WEBHOOK_SECRET });
  gmail = await startGmailSandbox({ port: 0 });
  orders = await startOrderService();
  // The user- and notification-service call each other: the latter listens first, behind a forwarder.
  const notificationFront = forwardingApp();
  notifications = await listen(notificationFront.app, quiet);
  // Each service is built as its main.ts builds it, from variables.
  const userDeps = await userService.buildDependencies(
    userService.readConfig(
      testEnv('user-service', {
        USER_DB_PATH: ':memory:',
        BCRYPT_COST: 4,
        NOTIFICATION_SERVICE_URL: notifications.url,
      }),
    ),
    { logger: quiet },
  );
  users = await listen(userService.createApp(userDeps), quiet, userDeps.close);
  const notificationDeps = notificationService.buildDependencies(
    notificationService.readConfig(
      testEnv('notification-service', {
        NOTIFICATION_DB_PATH: ':memory:',
        USER_SERVICE_URL: users.url,
        ORDER_SERVICE_URL: orders.url,
        GMAIL_API_URL: gmail.url,
      }),
    ),
    { logger: quiet },
  );
  notificationFront.forwardTo(notificationService.createApp(notificationDeps));
  closeNotifications = notificationDeps.close;
  notificationDeps.worker.start();

  const paymentDeps = buildDependencies(
    readConfig(
      testEnv('payment-service', {
        PAYMENT_DB_PATH: ':memory:',
        ORDER_SERVICE_URL: orders.url,
        NOTIFICATION_SERVICE_URL: notifications.url,
        STRIPE_API_URL: stripe.url,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_TIMEOUT_MS: 5_000,
        PAYMENT_WORKER_INTERVAL_MS: 50,
      }),
    ),
    { logger: quiet },
  );
  payments = await listen(createApp(paymentDeps), quiet, paymentDeps.close);
  paymentDeps.worker.start();
  stripe.setWebhookUrl(`${payments.url}/api/webhooks/stripe`);
});

afterAll(async () => {
  stripe.setWebhookUrl(null);
  await payments?.close();
  await notifications?.close();
  await closeNotifications?.();
  await Promise.all([users.close(), orders.close(), gmail.close(), stripe.close()]);
});

describe('the whole purchase, every service real', () => {
  it('when a user pays an order of 2 x 19.99 with pm_card_visa, the order is Paid, Stripe has one PaymentIntent of 3998, the receipt arrives, and paying again makes no second PaymentIntent', async () => {
    // Verified: a receipt to an unverified address is held until its owner verifies it.
    const user = await registerVerifiedUser(
      { users: users.url, gmail: gmail.url },
      { username: 'buyer1', email: 'buyer1@example.com', password: 'correct horse 42' },
    );
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
      return messages.find((m) => m.subject.startsWith('Your receipt'));
    });
    expect(receipt.subject).toBe(`Your receipt for order ${order.id.slice(0, 8)}`);

    const again = await request(payments.url)
      .post('/api/pay-order')
      .set(asUser(user.id))
      .send({ order_id: order.id, payment_method: 'pm_card_visa' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(paid.body.id);
    expect(intents(stripe)).toHaveLength(1);
  });
});
