import { Router } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildOpenApi, createServiceApp, docsRouter, type Operation } from '../src/index.ts';
import { IdParams, Order } from '../src/contracts/index.ts';
import { captureLogs } from '../src/testing/index.ts';

const operations: Operation[] = [
  {
    method: 'get',
    path: '/api/order/:id',
    summary: 'Get an order',
    access: 'user or service',
    params: IdParams,
    responses: { 200: { description: 'The order', schema: Order }, 404: { description: 'No such order' } },
  },
  {
    method: 'post',
    path: '/api/thing',
    summary: 'Make a thing',
    access: 'service',
    body: z.strictObject({ name: z.string().min(1) }),
    responses: { 201: { description: 'Made' } },
  },
];
const document = buildOpenApi(
  { title: 'demo', description: 'd', version: '1.0.0', serverUrl: 'http://127.0.0.1:1' },
  operations,
);
const app = createServiceApp({
  name: 'demo',
  logger: captureLogs().logger,
  routes: Router(),
  publicRoutes: docsRouter(document),
});

describe('OpenAPI documents', () => {
  it('each operation appears with its path parameters, body schema and problem responses', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    const get = res.body.paths['/api/order/{id}'].get;
    expect(get.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(get.responses['200'].content['application/json'].schema.properties.amount.type).toBe('integer');
    expect(Object.keys(get.responses).sort()).toEqual(['200', '400', '401', '404']);
    const post = res.body.paths['/api/thing'].post;
    expect(post.requestBody.content['application/json'].schema.required).toEqual(['name']);
    expect(post.responses['403'].content['application/problem+json']).toBeDefined();
  });

  it('the docs page and its assets are served locally, with no outside URL', async () => {
    const page = await request(app).get('/docs');
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    const bundle = await request(app).get('/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect((await request(app).get('/docs/init.js')).text).toContain('/openapi.json');
  });
});
