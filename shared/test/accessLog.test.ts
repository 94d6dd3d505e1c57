import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { tsxArgs } from '../src/index.ts';
import { captureLogs } from '../src/testing/index.ts';
import { bearer, userToken } from '../src/testing/index.ts';
import { demoApp } from './support/demoApi.ts';

const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the access log: one line per request with what an operator needs', () => {
  it('a GET answered 200 gives one info line with request id, method, URL, route pattern, status and duration', async () => {
    const { app, lines } = demoApp();
    const id = '7c1e2f0a-9a4b-4c3e-8d2f-1b2c3d4e5f60';
    await request(app).get(`/items/${id}?limit=3`).set('x-request-id', 'req-access-1');
    const access = parsed(lines).filter((line) => line.msg === 'request completed');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      level: 'info',
      service: 'demo',
      request_id: 'req-access-1',
      method: 'GET',
      url: `/items/${id}?limit=3`,
      route: '/items/:id',
      status: 200,
    });
    expect(access[0]!.duration_ms).toEqual(expect.any(Number));
  });

  it('a 401 is a warn line and a 500 an error line; /health is not logged', async () => {
    const { app, lines } = demoApp();
    await request(app).get('/whoami');
    await request(app).get('/boom');
    await request(app).get('/health');
    const access = parsed(lines).filter((line) => line.msg === 'request completed');
    expect(access.map((line) => [line.url, line.status, line.level])).toEqual([
      ['/whoami', 401, 'warn'],
      ['/boom', 500, 'error'],
    ]);
  });

  it('the bearer token of a request appears in no log line', async () => {
    const { app, lines } = demoApp();
    const token = userToken('0b7d3a52-53a5-4b0b-9a64-3f3ab1b4f1de');
    await request(app).get('/whoami').set(bearer(token));
    expect(lines.join('\n')).not.toContain(token.split('.')[2]);
  });
});

describe('secrets never reach a log line', () => {
  it('password, token, authorization and client_secret are censored at the top and one level down; other fields stay', () => {
    const { logger, lines } = captureLogs();
    const given = {
      token: 't0k3n',
      password: 'hunter2',
      body: { password: 'hunter3', email: 'a@example.com', client_secret: 'cs' },
      headers: { authorization: 'Bearer abc' },
      count: 2,
    };
    logger.info(given, 'with secrets');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      token: '[redacted]',
      password: '[redacted]',
      body: { password: '[redacted]', email: 'a@example.com', client_secret: '[redacted]' },
      headers: { authorization: '[redacted]' },
      count: 2,
    });
    expect(given.body.password).toBe('hunter3'); // the caller's object is left as it was
  });
});

describe('the asynchronous stdout destination loses no line when the process ends', () => {
  const script = fileURLToPath(new URL('./support/logThenExit.ts', import.meta.url));
  const run = (how: 'exit' | 'throw') =>
    spawnSync(process.execPath, [...tsxArgs(script), how], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });

  it('20,000 lines logged just before process.exit(0) (a shutdown) are all written', () => {
    const result = run('exit');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(20_000);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ n: 19_999 });
  });

  it('20,000 lines logged just before an uncaught exception (a fatal error) are all written', () => {
    const result = run('throw');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('fatal after logging');
    expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(20_000);
  });
});
