import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '@shop/shared';
import { documentedRoutes, routesOf, testKeys } from '@shop/shared/testing';
import { createApp, openNotificationStore } from '../src/app.ts';
import { openApiDocument } from '../src/http/openapi.ts';

const store = openNotificationStore(':memory:');
const app = createApp({
  store,
  keys: testKeys,
  logger: createLogger('notification-service', 'silent'),
  userServiceUrl: 'http://127.0.0.1:9',
  orderServiceUrl: 'http://127.0.0.1:9',
  gmail: { apiUrl: 'http://127.0.0.1:9' },
  httpTimeoutMs: 100,
});
afterAll(() => store.close());

describe('API documentation', () => {
  it('documents exactly the routes the service serves', () => {
    expect(documentedRoutes(openApiDocument)).toEqual(routesOf(app));
  });

  it('serves the document at /openapi.json and a docs page at /docs', async () => {
    const doc = await request(app).get('/openapi.json');
    expect(doc.body.paths['/api/notify'].post.responses['202']).toBeDefined();
    expect((await request(app).get('/docs')).status).toBe(200);
  });
});
