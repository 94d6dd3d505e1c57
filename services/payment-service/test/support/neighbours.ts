import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import {
  buildDependencies,
  createApp as createOrderApp,
  readConfig,
  type OrderStore,
} from '@shop/order-service';
import { createLogger, startServer, verifyToken, type RunningServer } from '@shop/shared';
import type { Order } from '@shop/shared/contracts';
import { bearer, listen, testAuthKeys, testEnv, userToken } from '@shop/shared/testing';

const quiet = createLogger('neighbour', 'silent');

/** The real order-service on a free port; `stop()` and `restart()` keep its database (same port). */
export interface OrderService {
  url: string;
  store: OrderStore;
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startOrderService(): Promise<OrderService> {
  // Its order_created mail requests go nowhere (port 9 refuses): the receipts are what these tests read.
  const env = testEnv('order-service', {
    ORDER_DB_PATH: ':memory:',
    NOTIFICATION_SERVICE_URL: 'http://127.0.0.1:9',
  });
  const deps = buildDependencies(readConfig(env), { logger: quiet });
  const { store } = deps;
  const app = createOrderApp(deps);
  let server: RunningServer | undefined = await listen(app, quiet);
  const port = server.port;
  return {
    url: server.url,
    store,
    stop: async () => {
      await server?.close();
      server = undefined;
    },
    restart: async () => {
      server = await startServer(app, { port, host: '127.0.0.1', logger: quiet, shutdownTimeoutMs: 1000 });
    },
    close: async () => {
      await server?.close();
      store.close();
    },
  };
}

/** Places an order as its user through the order-service's API. */
export async function placeOrder(
  orders: Pick<OrderService, 'url'>,
  userId: string,
  fields: { quantity?: number; price?: string; currency?: string } = {},
): Promise<Order> {
  const res = await request(orders.url)
    .post('/api/order')
    .set(bearer(userToken(userId)))
    .send({ product_name: 'Notebook', quantity: 2, price: '19.99', currency: 'USD', ...fields });
  if (res.status !== 201) throw new Error(`order answered ${res.status}: ${res.text}`);
  return res.body as Order;
}

export async function orderStatus(orders: Pick<OrderService, 'url'>, order: Order): Promise<string> {
  const res = await request(orders.url)
    .get(`/api/order/${order.id}`)
    .set(bearer(userToken(order.user_id)));
  return (res.body as Order).status;
}

export interface NotifyCall {
  body: { user_id: string; order_id?: string; type?: string };
  caller: string;
}

/**
 * A real HTTP server in the notification-service's place that records POST /api/notify and answers
 * the NotifyResult contract; `failNext(n)` makes the next n calls answer 503.
 */
export async function startNotifyRecorder() {
  const calls: NotifyCall[] = [];
  let failures = 0;
  const app = express();
  app.use(express.json());
  app.post('/api/notify', (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
    const principal = verifyToken(testAuthKeys('notification-service'), token);
    if (failures > 0) {
      failures -= 1;
      res.status(503).json({ status: 503, code: 'unavailable', detail: 'down for the test' });
      return;
    }
    calls.push({ body: req.body, caller: principal.kind === 'service' ? principal.service : 'user' });
    res.json({ notification_id: randomUUID(), status: 'sent' });
  });
  const server = await listen(app, quiet);
  return {
    url: server.url,
    calls,
    failNext: (n: number) => {
      failures = n;
    },
    close: () => server.close(),
  };
}
export type NotifyRecorder = Awaited<ReturnType<typeof startNotifyRecorder>>;
