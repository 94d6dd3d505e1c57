import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.ts';
import { createHttpClient } from '../src/clients/index.ts';
import { captureLogs, listen } from '../src/testing/index.ts';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('logging errors', () => {
  it('when an outbound call fails, its log line names the call and status but not the token', async () => {
    const app = express();
    app.get('/down', (_req, res) => void res.status(503).json({ down: true }));
    server = await listen(app);
    const client = createHttpClient({
      baseURL: server.url,
      timeoutMs: 1000,
      target: 't',
      retries: 0,
      token: () => 'secret-service-token',
    });
    const { logger, lines } = captureLogs();
    const error = await client.get('/down').catch((e: unknown) => e);
    logger.warn({ err: error }, 'neighbour failed');

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('secret-service-token');
    expect(JSON.parse(lines[0]!).err).toMatchObject({
      type: 'HttpClientError',
      status: 503,
      method: 'GET',
      url: `${server.url}/down`,
    });
  });

  it('any other error is logged with its message and stack', () => {
    const { logger, lines } = captureLogs();
    logger.error({ err: new Error('disk full') }, 'failed');
    expect(JSON.parse(lines[0]!).err).toMatchObject({
      type: 'Error',
      message: 'disk full',
      stack: expect.stringContaining('disk full'),
    });
  });
});
