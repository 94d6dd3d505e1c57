import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.ts';
import { CallError, createApiClient } from '../src/clients/index.ts';
import { thingApi } from './support/thingApi.ts';
import { listen } from '../src/testing/index.ts';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A real server for thing-service whose routes answer `failures` 503s first, then `answer`. */
async function thingServer(failures: number, answer: (req: express.Request, res: express.Response) => void) {
  const calls: string[] = [];
  const app = express();
  app.use(express.json());
  app.all('/{*path}', (req, res) => {
    calls.push(`${req.method} ${req.url}`);
    if (calls.length <= failures) return void res.status(503).json({ code: 'unavailable' });
    answer(req, res);
  });
  server = await listen(app);
  const client = createApiClient(thingApi, {
    baseURL: server.url,
    timeoutMs: 1000,
    token: () => 'secret-token',
  });
  return { calls, client };
}

describe('typed API client', () => {
  it('when a GET succeeds, the path is filled in (encoded) and the answer is parsed by the contract', async () => {
    const { calls, client } = await thingServer(0, (req, res) => res.json({ id: req.url, size: 3 }));
    const thing = await client.call('getThing', { params: { id: 'a b/c' } });
    expect(thing.size).toBe(3);
    expect(calls).toEqual(['GET /things/a%20b%2Fc']);
  });

  it('when an endpoint is marked idempotent, a POST that answered 503 is retried', async () => {
    const { calls, client } = await thingServer(2, (_req, res) => res.json({ id: 'x', size: 1 }));
    await client.call('touchThing', { params: { id: 'x' } });
    expect(calls).toHaveLength(3);
  });

  it('when a plain POST answers 503, it is not retried and the CallError says who answered what', async () => {
    const { calls, client } = await thingServer(1, (_req, res) => res.status(201).json({ id: 'x', size: 1 }));
    const error = await client.call('makeThing', { body: { size: 1 } }).catch((e: unknown) => e);
    expect(calls).toHaveLength(1);
    expect(error).toBeInstanceOf(CallError);
    expect(error).toMatchObject({
      target: 'thing-service',
      operationId: 'makeThing',
      status: 503,
      code: 'unavailable',
    });
    expect(String((error as Error).message)).not.toContain('secret-token');
  });

  it('when the service answers a declared error, the CallError carries its status, code and detail', async () => {
    const { client } = await thingServer(0, (_req, res) =>
      res.status(409).json({ code: 'too_big', detail: 'Too big to make.' }),
    );
    const error = await client.call('makeThing', { body: { size: 99 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, code: 'too_big', detail: 'Too big to make.' });
  });

  it('when the answer does not match the contract, the call fails as malformed instead of passing it on', async () => {
    const { client } = await thingServer(0, (_req, res) => res.json({ id: 7 }));
    const error = await client.call('getThing', { params: { id: 'x' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 200, code: 'malformed_answer' });
  });

  it("a CallError's message says which call and what came back", async () => {
    const { client } = await thingServer(0, (req, res) => {
      if (req.method === 'POST')
        return void res.status(409).json({ code: 'too_big', detail: 'Too big to make.' });
      res.status(500).end();
    });
    const refused = await client.call('makeThing', { body: { size: 99 } }).catch((e: unknown) => e);
    const failed = await client.call('dropThing', { params: { id: 'x' } }).catch((e: unknown) => e);
    expect((refused as Error).name).toBe('CallError');
    expect((refused as Error).message).toBe('thing-service makeThing answered 409 too_big: Too big to make.');
    expect((failed as Error).message).toBe('thing-service dropThing answered 500');
    expect(failed).toMatchObject({ status: 500, code: undefined, detail: undefined });
  });

  it('a refusal whose code is not text, or whose detail is long, gives no code and the first 300 characters', async () => {
    const { client } = await thingServer(0, (_req, res) =>
      res.status(409).json({ code: 7, detail: 'd'.repeat(400) }),
    );
    const error = await client.call('makeThing', { body: { size: 1 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, code: undefined, detail: 'd'.repeat(300) });
  });

  it('a 3xx is a refusal like any other answer outside 2xx, with its problem code', async () => {
    const { client } = await thingServer(0, (_req, res) => res.status(300).json({ code: 'choose' }));
    const error = await client.call('getThing', { params: { id: 'x' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 300, code: 'choose' });
  });

  it('a 2xx the contract does not declare is unexpected, not parsed as if it were', async () => {
    const { client } = await thingServer(0, (_req, res) => res.status(202).json({ id: 'x', size: 1 }));
    const error = await client.call('getThing', { params: { id: 'x' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallError);
    expect(error).toMatchObject({ status: 202, code: 'unexpected_status' });
  });

  it('an endpoint that declares no body for its answer resolves to undefined', async () => {
    const { calls, client } = await thingServer(0, (_req, res) => res.status(204).end());
    await expect(client.call('dropThing', { params: { id: 'x' } })).resolves.toBeUndefined();
    expect(calls).toEqual(['DELETE /things/x']);
  });

  it('when the request cannot even be built, the CallError says so without a status', async () => {
    const { calls, client } = await thingServer(0, (_req, res) => res.status(201).json({ id: 'x', size: 1 }));
    const body = { size: 1n } as unknown as { size: number }; // JSON has no BigInt
    const error = await client.call('makeThing', { body }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallError);
    expect(error).toMatchObject({ status: undefined, code: undefined });
    expect((error as Error).message).toMatch(/^thing-service makeThing no answer \(unknown\): .*BigInt/);
    expect(calls).toEqual([]);
  });

  it('when nothing listens, the CallError has no status and names the network error', async () => {
    const { client } = await thingServer(0, (_req, res) => res.json({}));
    await server!.close();
    server = undefined;
    const error = await client.call('getThing', { params: { id: 'x' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: undefined, code: 'ECONNREFUSED' });
    expect((error as Error).message).toBe('thing-service getThing no answer (ECONNREFUSED)');
  });
});
