import { createServer, type Server } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServiceMetrics } from '../src/index.ts';
import { createHttpClient, isPermanentRefusal, retryDelayMs } from '../src/clients/index.ts';
import { listen } from '../src/testing/index.ts';
import type { RunningServer } from '../src/index.ts';
import { closedPortUrl, noAnswer } from './support/noAnswer.ts';

// What the shared HTTP client does beside its main paths (httpClient.test.ts): what its errors
// say, its retry delays, TLS for https, the duration it records, the edges of its answers.

let server: RunningServer | undefined;
let tcp: Server | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
  await new Promise((done) => (tcp ? tcp.close(done) : done(undefined)));
  tcp = undefined;
});

async function serve(app: express.Express) {
  server = await listen(app);
  return server.url;
}

describe('HTTP client details', () => {
  it('a call that got no answer says which call, what went wrong and how many attempts, in its message', async () => {
    const url = await closedPortUrl();
    const once = createHttpClient({ baseURL: url, timeoutMs: 500, target: 'thing-service', retries: 0 });
    const twice = createHttpClient({ baseURL: url, timeoutMs: 500, target: 'thing-service', retries: 1 });

    const first = await noAnswer(once.request({ method: 'post', path: '/x' }));
    const second = await noAnswer(twice.request({ method: 'POST', path: '/x' }));
    expect(first.name).toBe('NoAnswerError');
    expect(first.message).toBe(`POST ${url}/x (thing-service): no answer (ECONNREFUSED) after 1 attempt`);
    expect(second.message).toBe(`POST ${url}/x (thing-service): no answer (ECONNREFUSED) after 2 attempts`);
  });

  it('when the token cannot be made, that error comes back as it is, and nothing is sent or retried', async () => {
    let calls = 0;
    const app = express();
    app.get('/a', (_req, res) => void res.json({ calls: ++calls }));
    const broken = new Error('no signing key');
    const client = createHttpClient({
      baseURL: await serve(app),
      timeoutMs: 1000,
      target: 't',
      token: () => {
        throw broken;
      },
    });
    await expect(client.request({ method: 'GET', path: '/a' })).rejects.toBe(broken);
    expect(calls).toBe(0);
  });

  it('retry n waits 50 ms x 2^n plus up to 20%: 100-120 ms, then 200-240 ms, then 400-480 ms', () => {
    const random = vi.spyOn(Math, 'random');
    random.mockReturnValue(0);
    expect([1, 2, 3].map(retryDelayMs)).toEqual([100, 200, 400]);
    random.mockReturnValue(0.5);
    expect([1, 2, 3].map(retryDelayMs)).toEqual([110, 220, 440]);
    random.mockReturnValue(0.999);
    expect(retryDelayMs(1)).toBeCloseTo(119.98, 5);
  });

  it('an https base URL is called over TLS: the first bytes on the wire are a TLS handshake', async () => {
    const firstBytes: Buffer[] = [];
    tcp = createServer((socket) =>
      socket.once('data', (chunk) => {
        firstBytes.push(chunk);
        socket.destroy();
      }),
    );
    await new Promise<void>((done) => tcp!.listen(0, '127.0.0.1', done));
    const { port } = tcp.address() as { port: number };
    const client = createHttpClient({
      baseURL: `https://127.0.0.1:${port}`,
      timeoutMs: 1000,
      target: 't',
      retries: 0,
    });

    await noAnswer(client.request({ method: 'GET', path: '/json' }));
    expect(firstBytes).toHaveLength(1);
    expect(firstBytes[0]![0]).toBe(0x16); // a TLS record of type handshake, not "GET /json"
  });

  it('the call duration recorded is the real one, in seconds', async () => {
    const app = express();
    app.get('/slow', (_req, res) => void setTimeout(() => res.json({ ok: true }), 150));
    const metrics = new ServiceMetrics('test-service');
    const client = createHttpClient({ baseURL: await serve(app), timeoutMs: 2000, target: 't', metrics });
    await client.request({ method: 'GET', path: '/slow' });
    const { values } = await metrics.outboundDuration.get();
    const sum = values.find((v) => v.metricName === 'http_client_request_duration_seconds_sum')!.value;
    expect(sum).toBeGreaterThanOrEqual(0.14);
    expect(sum).toBeLessThan(5);
  });

  it('every call asks for JSON (accept: application/json), with or without a body', async () => {
    const accepted: Array<string | undefined> = [];
    const app = express();
    app.all('/a', (req, res) => {
      accepted.push(req.get('accept'));
      res.json({});
    });
    const client = createHttpClient({ baseURL: await serve(app), timeoutMs: 1000, target: 't' });
    await client.request({ method: 'GET', path: '/a' });
    await client.request({ method: 'POST', path: '/a', body: { x: 1 } });
    expect(accepted).toEqual(['application/json', 'application/json']);
  });

  it('when the timeout comes in the middle of an answer, the call fails as timed out, not as a reset', async () => {
    const app = express();
    app.get('/stalls', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"id":'); // and nothing more
    });
    const client = createHttpClient({ baseURL: await serve(app), timeoutMs: 150, target: 't', retries: 0 });
    expect((await noAnswer(client.request({ method: 'GET', path: '/stalls' }))).code).toBe('ETIMEDOUT');
  });

  it('a GET answered 500 is retried like any 5xx', async () => {
    let calls = 0;
    const app = express();
    app.get(
      '/flaky',
      (_req, res) => void (++calls === 1 ? res.status(500).json({}) : res.json({ ok: true })),
    );
    const client = createHttpClient({ baseURL: await serve(app), timeoutMs: 1000, target: 't', retries: 1 });
    expect((await client.request({ method: 'GET', path: '/flaky' })).status).toBe(200);
    expect(calls).toBe(2);
  });

  it('query parameters that are null or undefined are left out', async () => {
    const urls: string[] = [];
    const app = express();
    app.get('/q', (req, res) => {
      urls.push(req.url);
      res.json({});
    });
    const client = createHttpClient({ baseURL: await serve(app), timeoutMs: 1000, target: 't' });
    await client.request({ method: 'GET', path: '/q', query: { a: null, b: undefined, c: 0, d: '' } });
    await client.request({ method: 'GET', path: '/q', query: { a: null } });
    expect(urls).toEqual(['/q?c=0&d=', '/q']);
  });

  it('an answer of exactly 5 MB is read whole', async () => {
    const body = 'x'.repeat(5 * 1024 * 1024);
    const app = express();
    app.get('/big', (_req, res) => void res.type('text').send(body));
    const client = createHttpClient({ baseURL: await serve(app), timeoutMs: 5000, target: 't', retries: 0 });
    const answer = await client.request({ method: 'GET', path: '/big' });
    expect((answer.data as string).length).toBe(body.length);
  });

  it('after an answer, its timeout is off: the kept-alive connection serves the next call after that time', async () => {
    let connections = 0;
    const app = express();
    app.get('/a', (_req, res) => void res.json({}));
    const url = await serve(app);
    server!.server.on('connection', () => connections++);
    const client = createHttpClient({ baseURL: url, timeoutMs: 100, target: 't', retries: 0 });
    await client.request({ method: 'GET', path: '/a' });
    await new Promise((done) => setTimeout(done, 250));
    expect((await client.request({ method: 'GET', path: '/a' })).status).toBe(200);
    expect(connections).toBe(1);
  });

  it('a refusal that a retry cannot change is 400, 404, 409, 410 or 422; anything else, or no answer, may change', () => {
    expect([400, 404, 409, 410, 422].map(isPermanentRefusal)).toEqual([true, true, true, true, true]);
    expect([401, 403, 408, 429, 500, 503, undefined].map(isPermanentRefusal)).toEqual(Array(7).fill(false));
  });
});
