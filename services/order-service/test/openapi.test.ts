import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '@shop/shared';
import { orderApi } from '@shop/shared/contracts';
import { documentedRoutes, routesOf } from '@shop/shared/testing';
import { buildApp } from './helpers.ts';

describe('API documentation', () => {
  it('documents exactly the routes the service serves', () => {
    const { app } = buildApp();
    expect(documentedRoutes(buildOpenApi(orderApi))).toEqual(routesOf(app));
  });

  it('serves the document at /openapi.json and a docs page at /docs', async () => {
    const { app } = buildApp();
    const doc = await request(app).get('/openapi.json');
    expect(doc.body.paths['/api/order/{id}'].patch.requestBody).toBeDefined();
    expect((await request(app).get('/docs')).status).toBe(200);
  });
});
