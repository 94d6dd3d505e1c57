import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOpenApi } from '@shop/shared';
import { notificationApi } from '@shop/shared/contracts';
import { documentedRoutes, routesOf, testEnv } from '@shop/shared/testing';
import { createApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { buildDependencies } from '../src/dependencies.ts';

// Nothing here calls a neighbour or Gmail: the default URLs are never used.
const deps = buildDependencies(
  readConfig(testEnv('notification-service', { NOTIFICATION_DB_PATH: ':memory:', LOG_LEVEL: 'silent' })),
);
const app = createApp(deps);
afterAll(() => deps.close());

describe('API documentation', () => {
  it('documents exactly the routes the service serves', () => {
    expect(documentedRoutes(buildOpenApi(notificationApi))).toEqual(routesOf(app));
  });

  it('serves the document at /openapi.json and a docs page at /docs', async () => {
    const doc = await request(app).get('/openapi.json');
    expect(doc.body.paths['/api/notify'].post.responses['202']).toBeDefined();
    expect((await request(app).get('/docs')).status).toBe(200);
  });
});
