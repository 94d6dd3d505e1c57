import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { AxiosError } from 'axios';
import { withRequestId } from '../src/index.ts';
import { createHttpClient } from '../src/clients/index.ts';
import { listen } from '../src/testing/index.ts';
import type { RunningServer } from '../src/index.ts';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A real local server that fails the first `failures` calls of each route with 503 and counts calls. */
async function flakyServer(failures: number, delayMs = 0) {
  const calls: Record<string, number> = {};
  const headers: Record<string, string | undefined>[] = [];
  const app = express();
  app.all('/{*path}', async (req, res) => {
    const key = `${req.method} ${req.path}`;
    calls[key] = (calls[key] ?? 0) + 1;
    headers.push({ id: req.get('x-request-id'), auth: req.get('authorization') });
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (calls[key]! <= failures) return void res.status(503).json({ down: true });
    res.json({ ok: true });
  });
  server = await listen(app);
  return { url: server.url, calls, headers };
}

describe('HTTP client', () => {
  it('20 calls one after the other go over one kept-alive connection, not 20', async () => {
    const s = await flakyServer(0);
    let connections = 0;
    server!.server.on('connection', () => connections++);
    const client = createHttpClient({ baseURL: s.url, timeoutMs: 1000, target: 't', retries: 0 });
    for (let i = 0; i < 20; i++) await client.post('/thing', { i });
    expect(s.calls['POST /thing']).toBe(20);
    expect(connections).toBe(1);
  });

  it('when a GET fails with 503 twice, it is retried and succeeds on the third call', async () => {
    const s = await flakyServer(2);
    const client = createHttpClient({ baseURL: s.url, timeoutMs: 1000, target: 't', retries: 2 });
    expect((await client.get('/thing')).data).toEqual({ ok: true });
    expect(s.calls['GET /thing']).toBe(3);
  });

  it('when a POST fails with 503, it is not retried', async () => {
    const s = await flakyServer(1);
    const client = createHttpClient({ baseURL: s.url, timeoutMs: 1000, target: 't', retries: 2 });
    const error = await client.post('/thing', {}).catch((e: unknown) => e);
    expect((error as AxiosError).response?.status).toBe(503);
    expect(s.calls['POST /thing']).toBe(1);
  });

  it('when the server is slower than the timeout, the call fails instead of hanging', async () => {
    const s = await flakyServer(0, 500);
    const client = createHttpClient({ baseURL: s.url, timeoutMs: 100, target: 't', retries: 0 });
    const error = await client.get('/slow').catch((e: unknown) => e);
    expect((error as AxiosError).response).toBeUndefined();
    expect((error as { code?: string }).code).toBe('ECONNABORTED');
  });

  it('when the server is down (connection refused), even a POST is retried, since nothing reached it', async () => {
    const s = await flakyServer(0);
    const url = s.url;
    await server!.close();
    server = undefined;
    const client = createHttpClient({ baseURL: url, timeoutMs: 500, target: 't', retries: 1 });
    const error = await client.post('/x', {}).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    expect(
      (error as { config: { 'axios-retry'?: { retryCount: number } } }).config['axios-retry']?.retryCount,
    ).toBe(1);
  });

  it('the current request id and the token travel with every outbound call', async () => {
    const s = await flakyServer(0);
    const client = createHttpClient({ baseURL: s.url, timeoutMs: 1000, target: 't', token: () => 'tok' });
    await withRequestId('trace-42', () => client.get('/a'));
    expect(s.headers[0]).toEqual({ id: 'trace-42', auth: 'Bearer tok' });
  });
});
