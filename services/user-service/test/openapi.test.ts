import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '@shop/shared';
import { userApi } from '@shop/shared/contracts';
import { documentedRoutes, routesOf } from '@shop/shared/testing';
import { buildApp } from './helpers.ts';

describe('API documentation', () => {
  it('documents exactly the routes the service serves', async () => {
    const { app } = await buildApp();
    expect(documentedRoutes(buildOpenApi(userApi))).toEqual(routesOf(app));
  });

  it('serves the document at /openapi.json and a docs page at /docs', async () => {
    const { app } = await buildApp();
    const doc = await request(app).get('/openapi.json');
    expect(doc.body.paths['/api/login'].post.requestBody).toBeDefined();
    expect((await request(app).get('/docs')).status).toBe(200);
  });
});
