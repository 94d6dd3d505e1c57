import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '@shop/shared';
import { listen, waitUntil } from '@shop/shared/testing';
import { openOrderDatabase, openOrderStore } from '../src/data/sqliteOrderStore.ts';
import { LAPTOP, asUser, buildApp, newUserId } from './helpers.ts';

// Through the real HTTP surface, on a real database file (restarts reopen it).
let dir: string;
let file: string;
const closers: Array<() => unknown> = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'order-idempotency-'));
  file = join(dir, 'orders.sqlite');
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  rmSync(dir, { recursive: true, force: true });
});

/** An order-service over the test's database file, stopped after the test. */
function startApp() {
  const built = buildApp({ store: openOrderStore(file) });
  closers.push(() => built.store.close());
  return built;
}

async function startServer(): Promise<RunningServer> {
  const { app, store } = buildApp({ store: openOrderStore(file) });
  const server = await listen(app, undefined, () => store.close());
  closers.push(() => server.close());
  return server;
}

const ordersOf = async (app: Parameters<typeof request>[0], userId: string) =>
  (await request(app).get('/api/orders').set(asUser(userId))).body.data as Array<{ id: string }>;

describe('POST /api/order with an Idempotency-Key', () => {
  it('when 20 requests with one key arrive at once, one order is created and all get its answer', async () => {
    const server = await startServer();
    const userId = newUserId();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${server.url}/api/order`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': 'k-race', ...asUser(userId) },
          body: JSON.stringify(LAPTOP),
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as { id: string } })),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await ordersOf(server.url, userId)).toHaveLength(1);
  });

  it('when the client closed the connection before reading the answer, the retry gets the same order', async () => {
    const server = await startServer();
    const userId = newUserId();
    const body = JSON.stringify(LAPTOP);
    const { hostname, port } = new URL(server.url);
    // Send the whole request and hang up without reading: the answer is lost on the way.
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        const head = [
          'POST /api/order HTTP/1.1',
          `Host: ${hostname}:${port}`,
          'Content-Type: application/json',
          `Content-Length: ${Buffer.byteLength(body)}`,
          'Idempotency-Key: k-lost',
          `Authorization: ${asUser(userId).Authorization}`,
          'Connection: close',
        ].join('\r\n');
        socket.end(`${head}\r\n\r\n${body}`, () => {
          socket.destroy();
          resolve();
        });
      });
      socket.on('error', reject);
    });
    const [first] = await waitUntil(
      async () => {
        const orders = await ordersOf(server.url, userId);
        return orders.length > 0 && orders;
      },
      { what: 'the first request to create its order' },
    );

    const retry = await request(server.url)
      .post('/api/order')
      .set(asUser(userId))
      .set('Idempotency-Key', 'k-lost')
      .send(LAPTOP);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first!.id);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers.location).toBe(`/api/order/${first!.id}`);
    expect(await ordersOf(server.url, userId)).toHaveLength(1);
  });

  it('when the same key comes with another body, the answer is 422 idempotency_key_reused', async () => {
    const { app } = startApp();
    const userId = newUserId();
    const post = (body: object) =>
      request(app).post('/api/order').set(asUser(userId)).set('Idempotency-Key', 'k-body').send(body);
    expect((await post(LAPTOP)).status).toBe(201);
    const other = await post({ ...LAPTOP, quantity: 2 });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect(await ordersOf(app, userId)).toHaveLength(1);
  });

  it('when another user sends an identical key and body, they get their own new order', async () => {
    const { app } = startApp();
    const post = (userId: string) =>
      request(app).post('/api/order').set(asUser(userId)).set('Idempotency-Key', 'k-shared').send(LAPTOP);
    const alice = await post(newUserId());
    const bob = await post(newUserId());
    expect([alice.status, bob.status]).toEqual([201, 201]);
    expect(bob.body.id).not.toBe(alice.body.id);
    expect(bob.headers['idempotent-replayed']).toBeUndefined();
  });

  it('when the service restarts between the two calls, the retry gets the stored answer', async () => {
    const userId = newUserId();
    const post = (app: Parameters<typeof request>[0]) =>
      request(app).post('/api/order').set(asUser(userId)).set('Idempotency-Key', 'k-restart').send(LAPTOP);
    const before = startApp();
    const first = await post(before.app);
    before.store.close();
    const after = startApp();
    const retry = await post(after.app);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });

  it('when the key is older than the retention window, the request creates a new order', async () => {
    const { app } = startApp();
    const userId = newUserId();
    const post = () =>
      request(app).post('/api/order').set(asUser(userId)).set('Idempotency-Key', 'k-old').send(LAPTOP);
    const first = await post();
    const db = openOrderDatabase(file);
    db.prepare('UPDATE idempotency_keys SET created_at = created_at - ?').run(25 * 60 * 60 * 1000);
    db.close();
    const later = await post();
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(await ordersOf(app, userId)).toHaveLength(2);
  });

  it('when the key is not 1-255 visible ASCII characters, the answer is 400 and nothing is created', async () => {
    const { app } = startApp();
    const userId = newUserId();
    const res = await request(app)
      .post('/api/order')
      .set(asUser(userId))
      .set('Idempotency-Key', 'a b')
      .send(LAPTOP);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'header', field: 'Idempotency-Key' })]);
    expect(await ordersOf(app, userId)).toHaveLength(0);
  });

  it('when a request fails validation, nothing is kept: the corrected request may use the same key', async () => {
    const { app } = startApp();
    const userId = newUserId();
    const post = (body: object) =>
      request(app).post('/api/order').set(asUser(userId)).set('Idempotency-Key', 'k-fix').send(body);
    expect((await post({})).status).toBe(400);
    expect((await post(LAPTOP)).status).toBe(201);
  });
});

describe('POST /api/order/:id/cancel with an Idempotency-Key', () => {
  it('when the cancel is retried with its key, the first answer is replayed', async () => {
    const { app } = startApp();
    const userId = newUserId();
    const order = await request(app).post('/api/order').set(asUser(userId)).send(LAPTOP);
    const cancel = () =>
      request(app)
        .post(`/api/order/${order.body.id}/cancel`)
        .set(asUser(userId))
        .set('Idempotency-Key', 'k-cancel');
    const first = await cancel();
    const retry = await cancel();
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });
});
