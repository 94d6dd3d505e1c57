import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createLogger, type RunningServer } from '@shop/shared';
import type { Order } from '@shop/shared/contracts';
import { bearer, listen, testEnv, userToken } from '@shop/shared/testing';
import {
  buildDependencies as buildOrderDependencies,
  createApp as createOrderApp,
  readConfig as readOrderConfig,
} from '@shop/order-service';
import { listenFirst } from './support/listenFirst.ts';
import { mailsTo, muteEmails, rawMail, registerUser, waitFor } from './support/neighbours.ts';
import { startService, type TestService } from './support/service.ts';
import { deliverySuite } from './support/suite.ts';

const suite = deliverySuite('notification-order-created-');
const logger = createLogger('order-created', 'silent');

/**
 * The real order-service asking a listening notification-service for its order_created mails (the
 * notification-service reads users from the neighbour user-service and orders from this one).
 */
async function orderShop(): Promise<{
  orders: RunningServer;
  /** Every request the order-service received, as `METHOD path`. */
  orderRequests: string[];
  notifications: TestService;
  close(): Promise<void>;
}> {
  const notifyServer = await listenFirst(logger);
  const orderDeps = buildOrderDependencies(
    readOrderConfig(
      testEnv('order-service', { ORDER_DB_PATH: ':memory:', NOTIFICATION_SERVICE_URL: notifyServer.url }),
    ),
    { logger },
  );
  const orderRequests: string[] = [];
  const observed = express()
    .use((req, _res, next) => {
      orderRequests.push(`${req.method} ${req.path}`);
      next();
    })
    .use(createOrderApp(orderDeps));
  const orders = await listen(observed, logger, orderDeps.close);
  const notifications = suite.track(startService(suite.n, { env: { ORDER_SERVICE_URL: orders.url } }));
  notifyServer.serve(notifications.app);
  return {
    orders,
    orderRequests,
    notifications,
    close: async () => {
      await orders.close();
      await notifyServer.close();
    },
  };
}

async function placeOrder(ordersUrl: string, userId: string, product_name: string): Promise<Order> {
  const res = await request(ordersUrl)
    .post('/api/order')
    .set(bearer(userToken(userId)))
    .send({ product_name, quantity: 3, price: '4.50', currency: 'EUR' });
  if (res.status !== 201) throw new Error(`order answered ${res.status}: ${res.text}`);
  return res.body as Order;
}

describe('the order_created mail (the order-service asks for it)', () => {
  it('when a user creates an order, one mail with a fixed subject, the order and its total in text and HTML parts reaches them', async () => {
    const shop = await orderShop();
    try {
      const user = await registerUser(suite.n);
      const order = await placeOrder(shop.orders.url, user.id, 'Tea <b>set</b>');

      const [message, ...others] = await waitFor('the order_created mail', async () => {
        const mails = await mailsTo(suite.n.gmail, user.email);
        return mails.length > 0 && mails;
      });

      expect(others).toEqual([]);
      const { mail } = await rawMail(suite.n.gmail, message!.id);
      expect(mail.subject).toBe(`Your order ${order.id.slice(0, 8)} is placed`);
      expect(mail.text).toContain(order.id);
      expect(mail.text).toContain('Total:    €13.50 EUR');
      expect(mail.text).toContain('Tea <b>set</b>');
      expect(mail.html).toContain('Tea &lt;b&gt;set&lt;/b&gt;');
      expect(mail.html).toContain('€13.50 EUR');
      const [recorded] = shop.notifications.store.list({ user_id: user.id, limit: 10 });
      expect(recorded).toMatchObject({ type: 'order_created', order_id: order.id, status: 'sent' });
    } finally {
      await shop.close();
    }
  });

  it('when the order-service asks for the mail, it sends the order along and the notification-service writes the mail from it without reading the order back', async () => {
    const shop = await orderShop();
    try {
      const user = await registerUser(suite.n);
      const order = await placeOrder(shop.orders.url, user.id, 'Kettle');

      const [message] = await waitFor('the order_created mail', async () => {
        const mails = await mailsTo(suite.n.gmail, user.email);
        return mails.length > 0 && mails;
      });

      const { mail } = await rawMail(suite.n.gmail, message!.id);
      expect(mail.text).toContain('Kettle');
      expect(mail.text).toContain(order.id);
      expect(shop.orderRequests).toEqual(['POST /api/order']);
    } finally {
      await shop.close();
    }
  });

  it('when the user muted order updates, the order_created mail is recorded as skipped and nothing is sent', async () => {
    const shop = await orderShop();
    try {
      const user = await registerUser(suite.n);
      await muteEmails(suite.n, user.id, 'order_updates');
      const order = await placeOrder(shop.orders.url, user.id, 'Notebook');

      const recorded = await waitFor(
        'the order_created notification',
        () => shop.notifications.store.list({ user_id: user.id, limit: 10 })[0],
      );

      expect(recorded).toMatchObject({ type: 'order_created', order_id: order.id, status: 'skipped' });
      expect(await mailsTo(suite.n.gmail, user.email)).toEqual([]);
    } finally {
      await shop.close();
    }
  });
});
