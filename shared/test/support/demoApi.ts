import { z } from 'zod';
import {
  AppError,
  DependencyError,
  apiRouter,
  createServiceApp,
  ServiceMetrics,
  type Implementation,
} from '../../src/index.ts';
import { defineApi, endpoint, IdParams, Order } from '../../src/contracts/index.ts';
import { captureLogs, testAuthKeys } from '../../src/testing/index.ts';
import type { MetricsAccess } from '../../src/metrics/metricsAccess.ts';

const Caller = z.union([
  z.object({ kind: z.literal('user'), userId: z.string() }),
  z.object({ kind: z.literal('service'), service: z.string() }),
]);

/** A small API that exercises each part of the endpoint machinery, served by `demoApp`. */
export const demoApi = defineApi({
  service: 'demo',
  description: 'Endpoints for the shared tests.',
  endpoints: {
    echo: endpoint({
      operationId: 'echo',
      tag: 'demo',
      method: 'post',
      path: '/echo',
      summary: 'Answers its body',
      access: 'public',
      body: z.strictObject({ name: z.string().min(2), age: z.number().int() }),
      responses: {
        200: { description: 'The body.', schema: z.object({ name: z.string(), age: z.number() }) },
      },
    }),
    item: endpoint({
      operationId: 'getItem',
      tag: 'demo',
      method: 'get',
      path: '/items/:id',
      summary: 'An item',
      access: 'public',
      params: z.strictObject({ id: z.uuid() }),
      query: z.strictObject({ limit: z.coerce.number().int().max(10).optional() }),
      responses: { 200: { description: 'Params and query.', schema: z.object({}).passthrough() } },
    }),
    boom: endpoint({
      operationId: 'boom',
      tag: 'demo',
      method: 'get',
      path: '/boom',
      summary: 'Fails unexpectedly',
      access: 'public',
      responses: { 200: { description: 'Never.' } },
    }),
    teapot: endpoint({
      operationId: 'teapot',
      tag: 'demo',
      method: 'get',
      path: '/teapot',
      summary: 'Fails with an AppError',
      access: 'public',
      responses: { 418: { description: 'Always.', codes: ['teapot'] } },
    }),
    down: endpoint({
      operationId: 'down',
      tag: 'demo',
      method: 'get',
      path: '/down/:kind',
      summary: 'A dependency fails',
      access: 'public',
      params: z.object({ kind: z.enum(['unavailable', 'failed']) }),
      responses: {
        502: { description: 'It answered nonsense.', codes: ['thing_failed'] },
        503: { description: 'It is down.', codes: ['thing_failed'] },
      },
    }),
    whoami: endpoint({
      operationId: 'whoami',
      tag: 'auth',
      method: 'get',
      path: '/whoami',
      summary: 'The caller',
      access: { user: true, services: ['payment-service', 'notification-service'] },
      responses: { 200: { description: 'The caller.', schema: Caller } },
    }),
    internal: endpoint({
      operationId: 'internal',
      tag: 'auth',
      method: 'get',
      path: '/internal',
      summary: 'For the payment-service only',
      access: { services: ['payment-service'] },
      responses: { 200: { description: 'ok', schema: z.object({ ok: z.boolean() }) } },
    }),
    order: endpoint({
      operationId: 'getDemoOrder',
      tag: 'orders',
      method: 'get',
      path: '/api/order/:id',
      summary: 'Get an order',
      access: { user: true, services: ['payment-service'] },
      params: IdParams,
      responses: {
        200: { description: 'The order', schema: Order },
        404: { description: 'No such order', codes: ['order_not_found'] },
      },
    }),
  },
});

const handlers: Implementation<typeof demoApi> = {
  echo: ({ body }) => ({ status: 200, body }),
  item: ({ params, query }) => ({ status: 200, body: { ...params, ...query } }),
  boom: () => {
    throw new Error('database password=hunter2 leaked in a stack');
  },
  teapot: () => {
    throw new AppError(418, 'teapot', 'I am a teapot.', { extra: 1 });
  },
  down: ({ params }) => {
    throw new DependencyError('thing_failed', 'The thing service failed.', params.kind);
  },
  whoami: ({ caller }) => ({ status: 200, body: caller }),
  internal: () => ({ status: 200, body: { ok: true } }),
  order: () => {
    throw new AppError(404, 'order_not_found', 'No such order.');
  },
};

/**
 * The demo API served by the shared app builder; `ready: false` makes /ready fail; `verifiesAs` is
 * the service whose keys check tokens (a service token is meant for one service).
 */
export function demoApp(ready = true, metricsAccess: MetricsAccess = 'open', verifiesAs = 'demo') {
  const { logger, lines } = captureLogs('demo');
  const app = createServiceApp({
    api: demoApi,
    routes: apiRouter(demoApi, handlers, testAuthKeys(verifiesAs)),
    logger,
    metrics: new ServiceMetrics('demo', metricsAccess),
    readiness: () => {
      if (!ready) throw new Error('store closed');
    },
  });
  return { app, lines };
}
