import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.ts';
import { createApiClient, createHttpClient } from '../src/clients/index.ts';
import { closedPortUrl } from './support/noAnswer.ts';
import { thingApi } from './support/thingApi.ts';
import { captureLogs, listen } from '../src/testing/index.ts';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('logging errors', () => {
  it('when an outbound call gets no answer, its log line names the call and the error but not the token', async () => {
    const url = await closedPortUrl();
    const client = createHttpClient({
      baseURL: url,
      timeoutMs: 1000,
      target: 't',
      retries: 0,
      token: () => 'secret-service-token',
    });
    const { logger, lines } = captureLogs();
    const error = await client.request({ method: 'GET', path: '/down' }).catch((e: unknown) => e);
    logger.warn({ err: error }, 'neighbour failed');

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('secret-service-token');
    expect(JSON.parse(lines[0]!).err).toMatchObject({
      type: 'NoAnswerError',
      code: 'ECONNREFUSED',
      method: 'GET',
      url: `${url}/down`,
      target: 't',
    });
  });

  it('when an outbound call is refused, the CallError logged names the call and status but not the token', async () => {
    const app = express();
    app.get('/things/:id', (_req, res) => void res.status(503).json({ code: 'down' }));
    server = await listen(app);
    const client = createApiClient(thingApi, {
      baseURL: server.url,
      timeoutMs: 1000,
      retries: 0,
      token: () => 'secret-service-token',
    });
    const { logger, lines } = captureLogs();
    const error = await client.call('getThing', { params: { id: 'x' } }).catch((e: unknown) => e);
    logger.warn({ err: error }, 'neighbour failed');

    expect(lines[0]).not.toContain('secret-service-token');
    expect(JSON.parse(lines[0]!).err).toMatchObject({
      type: 'CallError',
      target: 'thing-service',
      operationId: 'getThing',
      status: 503,
      code: 'down',
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
