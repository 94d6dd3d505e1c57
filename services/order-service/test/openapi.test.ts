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

  it('documents the Idempotency-Key header, the replay header and the 409/422 on order creation', () => {
    const create = buildOpenApi(orderApi).paths['/api/order']!.post as {
      parameters: Array<{ name: string; in: string }>;
      responses: Record<string, { headers?: object; description: string }>;
    };
    expect(create.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
    );
    expect(create.responses['201']!.headers).toHaveProperty('Idempotent-Replayed');
    expect(create.responses['409']!.description).toContain('idempotency_request_in_progress');
    expect(create.responses['422']!.description).toContain('idempotency_key_reused');
  });
});
