import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { demoApp } from './support/demoApi.ts';

const { app } = demoApp();

describe('OpenAPI documents', () => {
  it('each operation appears with its id, tag, path parameters, body schema and problem responses', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    const get = res.body.paths['/api/order/{id}'].get;
    expect(get).toMatchObject({ operationId: 'getDemoOrder', tags: ['orders'] });
    expect(get.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(get.responses['200'].content['application/json'].schema.properties.amount.type).toBe('integer');
    expect(get.responses['200'].content['application/json'].schema.properties.status.enum).toContain('Paid');
    expect(Object.keys(get.responses).sort()).toEqual(['200', '400', '401', '403', '404']);
    expect(get.responses['404'].content['application/problem+json'].example).toEqual({
      code: 'order_not_found',
    });
    expect(get['x-access']).toBe('user, payment-service');
    const post = res.body.paths['/echo'].post;
    expect(post.requestBody.content['application/json'].schema.required).toEqual(['name', 'age']);
    expect(post.security).toEqual([]);
    expect(
      res.body.paths['/internal'].get.responses['403'].content['application/problem+json'],
    ).toBeDefined();
    expect(res.body.tags.map((t: { name: string }) => t.name)).toEqual(['demo', 'auth', 'orders']);
  });

  it('the docs page and its assets are served locally, with no outside URL, and keep the token across reloads', async () => {
    const page = await request(app).get('/docs');
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    const bundle = await request(app).get('/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    const init = (await request(app).get('/docs/init.js')).text;
    expect(init).toContain('/openapi.json');
    expect(init).toContain('persistAuthorization: true');
  });
});
