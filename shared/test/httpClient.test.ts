import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceMetrics, withRequestId } from '../src/index.ts';
import { createHttpClient } from '../src/clients/index.ts';
import { listen } from '../src/testing/index.ts';
import type { RunningServer } from '../src/index.ts';
import { closedPortUrl, noAnswer } from './support/noAnswer.ts';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A real local server that fails the first `failures` calls of each route with 503 and counts calls. */
async function flakyServer(failures: number, delayMs = 0) {
  const calls: Record<string, number> = {};
  const seen: { id?: string; auth?: string; url: string; body: unknown; type?: string }[] = [];
  const app = express();
  app.use(express.json());
  app.all('/{*path}', async (req, res) => {
    const key = `${req.method} ${req.path}`;
    calls[key] = (calls[key] ?? 0) + 1;
    seen.push({
      id: req.get('x-request-id'),
      auth: req.get('authorization'),
      url: req.url,
      body: req.body as unknown,
      type: req.get('content-type'),
    });
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (calls[key]! <= failures) return void res.status(503).json({ code: 'down' });
    res.json({ ok: true });
  });
  server = await listen(app);
  return { url: server.url, calls, seen };
}

describe('HTTP client between the services', () => {
  it('20 calls one after the other go over one kept-alive connection, not 20', async () => {
    const s = await flakyServer(0);
    let connections = 0;
    server!.server.on('connection', () => connections++);
    const client = createHttpClient({ baseURL: s.url, timeoutMs: 1000, target: 't', retries: 0 });
    for (let i = 0; i < 20; i++) await client.request({ method: 'POST', path: '/thing', body: { i } });
    expect(s.calls['POST /thing']).toBe(20);
    expect(connections).toBe(1);
  });

  it('a body goes out as JSON and the JSON answer comes back parsed, query parameters in the URL', async () => {
    const s = await flakyServer(0);
    const client = createHttpClient({ baseURL: s.url, timeoutMs: 1000, target: 't' });
    const answer = await client.request({
      method: 'patch',
      path: '/things/a%20b',
      query: { limit: 20, cursor: undefined, tag: ['x', 'y z'] },
      body: { status: 'Paid', price: 19.99 },
    });
    expect(answer).toEqual({ status: 200, data: { ok: true } });
    expect(s.seen[0]).toMatchObject({
      url: '/things/a%20b?limit=20&tag=x&tag=y+z',
      body: { status: 'Paid', price: 19.99 },
      type: 'application/json',
    });
  });

  it('when a GET fails with 503 twice, it is retried and succeeds on the third call', async () => {
    const s = await flakyServer(2);
    const client = createHttpClient({ baseURL: s.url, timeoutMs: 1000, target: 't', retries: 2 });
    expect((await client.request({ method: 'GET', path: '/thing' })).data).toEqual({ ok: true });
    expect(s.calls['GET /thing']).toBe(3);
  });

  it('when a GET still answers 503 after the last retry, that 503 is the answer', async () => {
    const s = await flakyServer(5);
    const client = createHttpClient({ baseURL: s.url, timeoutMs: 1000, target: 't', retries: 2 });
    expect(await client.request({ method: 'GET', path: '/thing' })).toEqual({
      status: 503,
      data: { code: 'down' },
    });
    expect(s.calls['GET /thing']).toBe(3);
  });

  it('when a POST answers 503, it is not retried: the 503 is the answer', async () => {
    const s = await flakyServer(1);
    const client = createHttpClient({ baseURL: s.url, timeoutMs: 1000, target: 't', retries: 2 });
    expect((await client.request({ method: 'POST', path: '/thing', body: {} })).status).toBe(503);
    expect(s.calls['POST /thing']).toBe(1);
  });

  it('when a POST is marked retry-safe, a 503 is retried', async () => {
    const s = await flakyServer(1);
    const client = createHttpClient({ baseURL: s.url, timeoutMs: 1000, target: 't', retries: 2 });
    const answer = await client.request({ method: 'POST', path: '/thing', body: {}, retrySafe: true });
    expect(answer.status).toBe(200);
    expect(s.calls['POST /thing']).toBe(2);
  });

  it('when the server is slower than the timeout, the call fails with ETIMEDOUT instead of hanging', async () => {
    const s = await flakyServer(0, 500);
    const client = createHttpClient({ baseURL: s.url, timeoutMs: 100, target: 't', retries: 0 });
    const error = await noAnswer(client.request({ method: 'GET', path: '/slow' }));
    expect(error).toMatchObject({ code: 'ETIMEDOUT', attempts: 1, method: 'GET', url: `${s.url}/slow` });
  });

  it('a GET that timed out is tried again; a POST that timed out is not, since it may have been done', async () => {
    const s = await flakyServer(0, 300);
    const client = createHttpClient({ baseURL: s.url, timeoutMs: 100, target: 't', retries: 1 });
    expect(await noAnswer(client.request({ method: 'GET', path: '/slow' }))).toMatchObject({ attempts: 2 });
    expect(await noAnswer(client.request({ method: 'POST', path: '/slow', body: {} }))).toMatchObject({
      code: 'ETIMEDOUT',
      attempts: 1,
    });
    await new Promise((r) => setTimeout(r, 350));
    expect(s.calls).toEqual({ 'GET /slow': 2, 'POST /slow': 1 });
  });

  it('when the server is down (connection refused), even a POST is retried, since nothing reached it', async () => {
    const url = await closedPortUrl();
    const client = createHttpClient({ baseURL: url, timeoutMs: 500, target: 't', retries: 1 });
    const error = await noAnswer(client.request({ method: 'POST', path: '/x', body: {} }));
    expect(error).toMatchObject({ code: 'ECONNREFUSED', attempts: 2, target: 't' });
  });

  it('an answer cut off in the middle is no answer, not a short body', async () => {
    const app = express();
    app.get('/cut', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"id":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    server = await listen(app);
    const client = createHttpClient({ baseURL: server.url, timeoutMs: 1000, target: 't', retries: 0 });
    expect(await noAnswer(client.request({ method: 'GET', path: '/cut' }))).toMatchObject({
      code: 'ECONNRESET',
    });
  });

  it('an answer past 5 MB is cut off and counts as no answer', async () => {
    const app = express();
    app.get('/huge', (_req, res) => void res.type('text').send('x'.repeat(6 * 1024 * 1024)));
    server = await listen(app);
    const client = createHttpClient({ baseURL: server.url, timeoutMs: 5000, target: 't', retries: 0 });
    const error = await noAnswer(client.request({ method: 'GET', path: '/huge' }));
    expect(error.code).toBe('ERR_ANSWER_TOO_LARGE');
  });

  it('a redirect is not followed: the 3xx is the answer, and nothing (no token) goes to the other address', async () => {
    const s = await flakyServer(0);
    const app = express();
    app.get('/moved', (_req, res) => void res.redirect(302, `${s.url}/elsewhere`));
    const mover = await listen(app);
    try {
      const client = createHttpClient({
        baseURL: mover.url,
        timeoutMs: 1000,
        target: 't',
        token: () => 'tok',
      });
      expect((await client.request({ method: 'GET', path: '/moved' })).status).toBe(302);
      expect(s.seen).toEqual([]);
    } finally {
      await mover.close();
    }
  });

  it('a text answer comes back as text, an empty one as undefined', async () => {
    const app = express();
    app.get('/text', (_req, res) => void res.type('text').send('not json'));
    app.delete('/empty', (_req, res) => void res.status(204).end());
    server = await listen(app);
    const client = createHttpClient({ baseURL: server.url, timeoutMs: 1000, target: 't' });
    expect(await client.request({ method: 'GET', path: '/text' })).toEqual({ status: 200, data: 'not json' });
    expect(await client.request({ method: 'DELETE', path: '/empty' })).toEqual({
      status: 204,
      data: undefined,
    });
  });

  it('the current request id and the token travel with every outbound call; without them, neither header', async () => {
    const s = await flakyServer(0);
    const client = createHttpClient({ baseURL: s.url, timeoutMs: 1000, target: 't', token: () => 'tok' });
    await withRequestId('trace-42', () => client.request({ method: 'GET', path: '/a' }));
    const bare = createHttpClient({ baseURL: s.url, timeoutMs: 1000, target: 't', token: () => undefined });
    await bare.request({ method: 'GET', path: '/b' });
    expect(s.seen.map(({ id, auth }) => ({ id, auth }))).toEqual([
      { id: 'trace-42', auth: 'Bearer tok' },
      { id: undefined, auth: undefined },
    ]);
  });

  it('a base URL with a path prefix keeps it in front of every call', async () => {
    const s = await flakyServer(0);
    const client = createHttpClient({ baseURL: `${s.url}/prefix/`, timeoutMs: 1000, target: 't' });
    await client.request({ method: 'GET', path: '/a' });
    expect(s.seen[0]!.url).toBe('/prefix/a');
  });

  it('every attempt is counted in the call metrics, by target, method and status (0 for no answer)', async () => {
    const s = await flakyServer(1);
    const metrics = new ServiceMetrics('test-service');
    const client = createHttpClient({ baseURL: s.url, timeoutMs: 1000, target: 'thing-service', metrics });
    await client.request({ method: 'GET', path: '/thing' });
    const refused = createHttpClient({
      baseURL: await closedPortUrl(),
      timeoutMs: 500,
      target: 'gone',
      retries: 0,
      metrics,
    });
    await noAnswer(refused.request({ method: 'POST', path: '/x' }));
    const { values } = await metrics.outboundDuration.get();
    const count = (target: string, method: string, status: string) =>
      values.find(
        (v) =>
          v.metricName === 'http_client_request_duration_seconds_count' &&
          v.labels.target === target &&
          v.labels.method === method &&
          v.labels.status === status,
      )?.value ?? 0;
    expect(count('thing-service', 'GET', '503')).toBe(1);
    expect(count('thing-service', 'GET', '200')).toBe(1);
    expect(count('gone', 'POST', '0')).toBe(1);
  });
});
