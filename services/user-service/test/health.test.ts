import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildApp } from './helpers.ts';

describe('health and readiness', () => {
  it('when the store answers, /health and /ready are 200', async () => {
    const { app, store } = await buildApp();
    expect((await request(app).get('/health')).body).toEqual({ status: 'ok', service: 'user-service' });
    expect((await request(app).get('/ready')).body).toEqual({ status: 'ready', service: 'user-service' });
    await store.close();
  });

  it('when the store is closed, /ready is 503 not_ready while /health stays 200', async () => {
    const { app, store } = await buildApp();
    await store.close();
    const ready = await request(app).get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.code).toBe('not_ready');
    expect((await request(app).get('/health')).status).toBe(200);
  });
});
