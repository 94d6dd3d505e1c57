import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { expect } from 'vitest';
import type { Currency } from '@shop/shared';
import type { Order, ServiceName } from '@shop/shared/contracts';
import { bearer, captureLogs, serviceToken, testEnv, userToken } from '@shop/shared/testing';
import { createApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import type { OrderStore } from '../src/data/orderStore.ts';
import { buildDependencies } from '../src/dependencies.ts';

/**
 * A real app over a real SQLite database (`:memory:` unless a store is given), with the order
 * creation limits off unless `limits` sets them, and the mail worker stopped unless `worker` (then
 * with short intervals). The caller closes the store, or calls `close()` (worker, tries, store).
 */
export function buildApp(
  options: {
    store?: OrderStore;
    defaultCurrency?: Currency;
    limits?: { perUser: number; perAddress: number };
    notificationServiceUrl?: string;
    mailTimeoutMs?: number;
    worker?: boolean;
    /** More settings, e.g. the mail retry schedule. */
    env?: Record<string, string | number>;
  } = {},
) {
  const config = readConfig(
    testEnv('order-service', {
      ORDER_DB_PATH: ':memory:',
      ORDER_DEFAULT_CURRENCY: options.defaultCurrency,
      ORDER_CREATE_RATE_LIMIT: options.limits?.perUser ?? 0,
      ORDER_CREATE_ADDRESS_RATE_LIMIT: options.limits?.perAddress ?? 0,
      // The order_created mail request goes nowhere (port 9 refuses) unless a test says where.
      NOTIFICATION_SERVICE_URL: options.notificationServiceUrl ?? 'http://127.0.0.1:9',
      ORDER_MAIL_TIMEOUT_MS: options.mailTimeoutMs,
      ORDER_MAIL_WORKER_INTERVAL_MS: 20,
      ORDER_MAIL_RETRY_BASE_MS: 20,
      ...options.env,
    }),
  );
  const { logger, lines } = captureLogs('order-service');
  const deps = buildDependencies(config, { logger, store: options.store });
  if (options.worker) deps.orderMails.worker.start();
  return { app: createApp(deps), store: deps.store, lines, deps, close: deps.close };
}

export const newUserId = () => randomUUID();
export const asUser = (userId: string) => bearer(userToken(userId));
export const asService = (name: ServiceName = 'payment-service') =>
  bearer(serviceToken(name, 'order-service'));

export const LAPTOP = { product_name: 'Laptop', quantity: 1, price: 1000 };

/** Places an order through the API and insists it was created. */
export async function placeOrder(app: Express, userId: string, body: object = LAPTOP): Promise<Order> {
  const res = await request(app).post('/api/order').set(asUser(userId)).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Order;
}

/** Moves an order with a service token and insists the move was accepted. */
export async function moveOrder(app: Express, orderId: string, status: string): Promise<Order> {
  const res = await request(app).patch(`/api/order/${orderId}`).set(asService()).send({ status });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Order;
}

/** The field names of a 400 validation_error, as `in.field`. */
export function badFields(body: { code?: string; errors?: Array<{ in: string; field: string }> }): string[] {
  expect(body.code).toBe('validation_error');
  return (body.errors ?? []).map((e) => `${e.in}.${e.field}`).sort();
}
