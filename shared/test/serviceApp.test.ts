import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bearer, listen, serviceToken, userToken } from '../src/testing/index.ts';
import { metricsAccessFor } from '../src/metrics/metricsAccess.ts';
import { demoApp } from './support/demoApi.ts';

const buildApp = demoApp;

describe('service app basics', () => {
  it('when /health and /ready are asked, they answer 200 with the service name', async () => {
    const { app } = buildApp();
    expect((await request(app).get('/health')).body).toEqual({ status: 'ok', service: 'demo' });
    expect((await request(app).get('/ready')).status).toBe(200);
  });

  it('when the store is not usable, /ready answers 503 in the problem shape', async () => {
    const { app } = buildApp(false);
    const res = await request(app).get('/ready');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 503, code: 'not_ready' });
  });

  it('when a request id is sent, it is echoed and appears in every log line of that request', async () => {
    const { app, lines } = buildApp();
    const res = await request(app)
      .post('/echo')
      .set('x-request-id', 'req-abc-123')
      .send({ name: 'Ann', age: 3 });
    expect(res.headers['x-request-id']).toBe('req-abc-123');
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.request_id === 'req-abc-123');
    expect(logged.length).toBeGreaterThan(0);
  });

  it('when no (or a malformed) request id is sent, a fresh one is made', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/health').set('x-request-id', 'bad id with spaces');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('responses carry security headers from helmet and no x-powered-by', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('/metrics answers in the Prometheus text format with request counts by route', async () => {
    const { app } = buildApp();
    await request(app).get('/health');
    const res = await request(app).get('/metrics');
    expect(res.text).toContain('http_requests_total{method="GET",route="/health",status="200"');
  });
});

describe('who may read /metrics', () => {
  const token = 'm'.repeat(20) + 'etrics-token-0123456789';

  it('in production without METRICS_TOKEN, /metrics answers 404 not_found: the counts are not public', async () => {
    const { app } = buildApp(true, metricsAccessFor({ NODE_ENV: 'production' }));
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    expect(res.text).not.toContain('http_requests_total');
  });

  it('with METRICS_TOKEN set, /metrics without the token or with another one answers 401; with it, the metrics', async () => {
    const { app } = buildApp(true, metricsAccessFor({ NODE_ENV: 'production', METRICS_TOKEN: token }));
    const none = await request(app).get('/metrics');
    const wrong = await request(app)
      .get('/metrics')
      .set(bearer(token.replace(/.$/, 'x')));
    const right = await request(app).get('/metrics').set(bearer(token));
    expect([none.status, wrong.status, right.status]).toEqual([401, 401, 200]);
    expect(none.body.code).toBe('unauthorized');
    expect(right.text).toContain('http_requests_total');
  });

  it('in development without METRICS_TOKEN, /metrics is open (a developer’s own machine)', async () => {
    const { app } = buildApp(true, metricsAccessFor({ NODE_ENV: 'development' }));
    expect((await request(app).get('/metrics')).status).toBe(200);
  });
});

describe('errors have one shape', () => {
  it('when fields are invalid, 400 names each bad field with where it was', async () => {
    const { app } = buildApp();
    const res = await request(app).post('/echo').send({ name: 'A', age: 'x', role: 'admin' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('validation_error');
    const fields = res.body.errors.map((e: { in: string; field: string }) => `${e.in}.${e.field}`).sort();
    expect(fields).toEqual(['body.age', 'body.name', 'body.role']);
  });

  it('when params and query are both bad, both are reported at once', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/items/not-a-uuid?limit=99');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { in: string }) => e.in).sort()).toEqual(['params', 'query']);
  });

  it('when the body is not JSON, 400 invalid_json comes back', async () => {
    const { app } = buildApp();
    const res = await request(app).post('/echo').set('content-type', 'application/json').send('{"name": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'invalid_json',
      status: 400,
      type: 'urn:shop:problem:invalid_json',
    });
  });

  it('when the body is too large, 413 comes back', async () => {
    const { app } = buildApp();
    const res = await request(app)
      .post('/echo')
      .send({ name: 'x'.repeat(100_000), age: 1 });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('when no body is sent, each required field is reported', async () => {
    const { app } = buildApp();
    const res = await request(app).post('/echo');
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(2);
  });

  it('when a handler fails unexpectedly, 500 has a generic message and the stack is only logged', async () => {
    const { app, lines } = buildApp();
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'internal_error', detail: 'An unexpected error occurred.' });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(lines.some((l) => l.includes('"stack"') && l.includes('hunter2'))).toBe(true);
  });

  it('an AppError keeps its status, code and extra members', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/teapot');
    expect(res.status).toBe(418);
    expect(res.body).toMatchObject({
      code: 'teapot',
      detail: 'I am a teapot.',
      extra: 1,
      request_id: expect.any(String),
    });
  });

  it('when a dependency is unavailable, 503 comes back; when it answered nonsense, 502; both with its code', async () => {
    const { app } = buildApp();
    const down = await request(app).get('/down/unavailable');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ code: 'thing_failed', detail: 'The thing service failed.' });
    expect((await request(app).get('/down/failed')).status).toBe(502);
  });

  it('an unknown route answers 404 in the problem shape', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('route_not_found');
  });

  it('when a path parameter is not valid percent-encoding (/items/%zz), 400 invalid_path comes back, not 500', async () => {
    const { app } = buildApp();
    for (const id of ['%zz', '%', '%E0%A4%A', '%C0%AE']) {
      const res = await request(app).get(`/items/${id}`);
      expect(res.status, id).toBe(400);
      expect(res.body).toMatchObject({ status: 400, code: 'invalid_path' });
    }
  });

  it('when the request headers are over the 16 KB limit, a served app answers 431 in the problem shape', async () => {
    const { app } = buildApp();
    const server = await listen(app);
    try {
      const res = await fetch(`${server.url}/health`, { headers: { 'x-big': 'x'.repeat(20_000) } });
      expect(res.status).toBe(431);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 431, code: 'headers_too_large' });
    } finally {
      await server.close();
    }
  });
});

describe('authentication', () => {
  const userId = '6f1c2b7e-8f57-4a53-9d55-2f7e8d1c9a10';

  it('when a user token is sent, the caller is that user', async () => {
    const { app } = buildApp();
    const res = await request(app)
      .get('/whoami')
      .set(bearer(userToken(userId)));
    expect(res.body).toEqual({ kind: 'user', userId });
  });

  it('when a service token is sent, the caller is that service', async () => {
    const { app } = buildApp();
    const res = await request(app)
      .get('/whoami')
      .set(bearer(serviceToken('payment-service', 'demo')));
    expect(res.body).toEqual({ kind: 'service', service: 'payment-service' });
  });

  it('when no token is sent, 401 with WWW-Authenticate comes back', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/whoami');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('when a service the endpoint does not name calls it, 403 names that service', async () => {
    const { app } = buildApp();
    const res = await request(app)
      .get('/internal')
      .set(bearer(serviceToken('notification-service', 'demo')));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'forbidden',
      detail: 'The notification-service may not call this endpoint.',
    });
  });

  it('when a user token reaches a service-only route, 403 comes back', async () => {
    const { app } = buildApp();
    const res = await request(app)
      .get('/internal')
      .set(bearer(userToken(userId)));
    expect(res.status).toBe(403);
  });
});

describe('field messages', () => {
  it('a field of the wrong type is reported as such, and a missing one as Required', async () => {
    const { app } = buildApp();
    const res = await request(app).post('/echo').send({ name: 42 });
    const byField = Object.fromEntries(
      res.body.errors.map((e: { field: string; message: string }) => [e.field, e.message]),
    );
    expect(byField.name).toMatch(/expected string/);
    expect(byField.age).toBe('Required');
  });
});
