import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '@shop/shared';
import { listen } from '@shop/shared/testing';
import { openOrderStore } from '../src/data/sqliteOrderStore.ts';
import { LAPTOP, asService, asUser, buildApp, newUserId } from './helpers.ts';

// Real servers on a real database file: requests really overlap at the socket and in SQLite.
let dir: string;
let servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `count` order-services, each with its own connection to one database file. */
async function startInstances(count: number): Promise<string[]> {
  dir = mkdtempSync(join(tmpdir(), 'order-race-'));
  const file = join(dir, 'orders.sqlite');
  for (let i = 0; i < count; i++) {
    const { app, store } = buildApp({ store: openOrderStore(file) });
    servers.push(await listen(app, undefined, () => store.close()));
  }
  return servers.map((s) => s.url);
}

async function call(url: string, method: string, path: string, auth: object, body?: object) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...auth },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Places an order and returns its id; its history is read back as its owner. */
async function placeOrderAt(url: string) {
  const owner = newUserId();
  const res = await call(url, 'POST', '/api/order', asUser(owner), LAPTOP);
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  owners.set(id, owner);
  return id;
}
const owners = new Map<string, string>();

const historyAt = async (url: string, id: string) =>
  (await call(url, 'GET', `/api/order/${id}/history`, asUser(owners.get(id)!))).body.history as Array<{
    to: string;
  }>;

describe('concurrent status changes', () => {
  it('when 20 PATCHes to Paid race on one server, all answer 200 and exactly one move is recorded', async () => {
    const [url] = await startInstances(1);
    const id = await placeOrderAt(url!);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(url!, 'PATCH', `/api/order/${id}`, asService(), { status: 'Paid' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(results.every((r) => r.body.status === 'Paid')).toBe(true);
    const history = await historyAt(url!, id);
    expect(history.map((h) => h.to)).toEqual(['Pending', 'Paid']);
  });

  it('when Paid and Cancelled race from two app instances on one file, exactly one wins and the rest get 200 or 409', async () => {
    const urls = await startInstances(2);
    for (let round = 0; round < 5; round++) {
      const id = await placeOrderAt(urls[0]!);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const status = i % 2 === 0 ? 'Paid' : 'Cancelled';
          return call(urls[i % 4 < 2 ? 0 : 1]!, 'PATCH', `/api/order/${id}`, asService(), { status }).then(
            (r) => ({ ...r, asked: status }),
          );
        }),
      );
      const history = await historyAt(urls[1]!, id);
      expect(history).toHaveLength(2);
      const winner = history[1]!.to;
      for (const r of results) {
        if (r.asked === winner) {
          expect(r.status).toBe(200);
          expect(r.body.status).toBe(winner);
        } else {
          expect(r.status).toBe(409);
          expect(r.body).toMatchObject({ code: 'invalid_transition', from: winner, to: r.asked });
        }
      }
    }
  });

  it('when the owner cancels while the payment-service marks it Paid, the order ends in exactly one of them', async () => {
    const urls = await startInstances(2);
    const owner = newUserId();
    const created = await call(urls[0]!, 'POST', '/api/order', asUser(owner), LAPTOP);
    const id = created.body.id as string;
    owners.set(id, owner);
    const [cancel, pay] = await Promise.all([
      call(urls[0]!, 'POST', `/api/order/${id}/cancel`, asUser(owner)),
      call(urls[1]!, 'PATCH', `/api/order/${id}`, asService(), { status: 'Paid' }),
    ]);
    expect([cancel.status, pay.status].sort()).toEqual([200, 409]);
    const final = await call(urls[1]!, 'GET', `/api/order/${id}`, asService());
    expect(final.body.status).toBe(cancel.status === 200 ? 'Cancelled' : 'Paid');
    expect(await historyAt(urls[0]!, id)).toHaveLength(2);
  });
});
