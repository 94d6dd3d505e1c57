import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteDatabase } from '@shop/shared';
import { ORDER_STATUSES } from '@shop/shared/contracts';
import {
  createSqliteOrderStore,
  MIGRATIONS,
  openOrderDatabase,
  openOrderStore,
  seedOrders,
  type SeedOrder,
} from '../src/data/index.ts';
import { LIST_BY_STATUS_SQL, LIST_SQL } from '../src/data/sqliteOrderStore.ts';
import { asUser, buildApp } from './helpers.ts';

let db: SqliteDatabase | undefined;
let dir: string | undefined;
afterEach(() => {
  if (db?.open) db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  db = dir = undefined;
});

function* generate(userIds: string[], count: number): Generator<SeedOrder> {
  for (let i = 0; i < count; i++) {
    yield {
      user_id: userIds[i % userIds.length]!,
      product_name: `Seeded ${i}`,
      quantity: 1 + (i % 5),
      unit_amount: 100 + i,
      currency: 'USD',
      status: ORDER_STATUSES[i % ORDER_STATUSES.length],
    };
  }
}

describe('order database', () => {
  it('when a page is listed, SQLite walks one index range backwards: no table scan, no sort', () => {
    db = openOrderDatabase(':memory:');
    const plan = (sql: string, params: object) =>
      (db!.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>)
        .map((row) => row.detail)
        .join(' | ');
    const params = { user_id: 'u', before: 10, limit: 21 };
    const all = plan(LIST_SQL, params);
    const byStatus = plan(LIST_BY_STATUS_SQL, { ...params, status: 'Paid' });
    expect(all).toMatch(/SEARCH orders USING INDEX orders_user_seq \(user_id=\? AND seq<\?\)/);
    expect(byStatus).toMatch(
      /SEARCH orders USING INDEX orders_user_status_seq \(user_id=\? AND status=\? AND seq<\?\)/,
    );
    for (const p of [all, byStatus]) expect(p).not.toMatch(/SCAN|TEMP B-TREE/);
  });

  it('when a database file is reopened, the schema is not migrated twice and the orders are still there', async () => {
    dir = mkdtempSync(join(tmpdir(), 'order-db-'));
    const file = join(dir, 'orders.sqlite');
    const first = buildApp({ store: openOrderStore(file) });
    const userId = randomUUID();
    await request(first.app)
      .post('/api/order')
      .set(asUser(userId))
      .send({ product_name: 'A', quantity: 1, price: 1 });
    first.store.close();
    db = openOrderDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const second = buildApp({ store: createSqliteOrderStore(db) });
    const list = await request(second.app).get('/api/orders').set(asUser(userId));
    expect(list.body.data).toHaveLength(1);
  });

  it('when the database is asked to store an amount that is not unit x quantity, it refuses', () => {
    db = openOrderDatabase(':memory:');
    const insert = () =>
      db!
        .prepare(
          `INSERT INTO orders (id, user_id, product_name, quantity, unit_amount, amount, currency, status, created_at, updated_at)
           VALUES ('x', 'u', 'p', 2, 1999, 3999, 'USD', 'Pending', 't', 't')`,
        )
        .run();
    expect(insert).toThrow(/CHECK constraint failed/);
  });

  it('when the same status move is recorded twice for one order, the database refuses the second', () => {
    db = openOrderDatabase(':memory:');
    seedOrders(db, [
      {
        id: 'o1',
        user_id: 'u',
        product_name: 'p',
        quantity: 1,
        unit_amount: 100,
        currency: 'USD',
        status: 'Paid',
      },
    ]);
    const again = () =>
      db!
        .prepare(
          `INSERT INTO order_status_history (order_id, from_status, to_status, actor, at) VALUES ('o1', 'Pending', 'Paid', 'x', 't')`,
        )
        .run();
    expect(again).toThrow(/UNIQUE constraint failed/);
  });
});

describe('seedOrders', () => {
  it("when 5,000 orders are seeded for three users, the API pages through each user's share with a consistent history", async () => {
    db = openOrderDatabase(':memory:');
    const users = [randomUUID(), randomUUID(), randomUUID()];
    expect(seedOrders(db, generate(users, 5000))).toBe(5000);
    const { app } = buildApp({ store: createSqliteOrderStore(db) });

    const seen: Array<{ id: string; amount: number; unit_amount: number; quantity: number }> = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const res: request.Response = await request(app)
        .get('/api/orders')
        .set(asUser(users[0]!))
        .query({ limit: 100, ...(cursor ? { cursor } : {}) });
      seen.push(...res.body.data);
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(1667);
    expect(new Set(seen.map((o) => o.id)).size).toBe(1667);
    expect(seen.every((o) => o.amount === o.unit_amount * o.quantity)).toBe(true);

    const refunded = await request(app)
      .get('/api/orders')
      .set(asUser(users[0]!))
      .query({ status: 'Refunded', limit: 1 });
    const history = await request(app)
      .get(`/api/order/${refunded.body.data[0].id}/history`)
      .set(asUser(users[0]!));
    expect(history.body.history.map((h: { to: string }) => h.to)).toEqual(['Pending', 'Paid', 'Refunded']);
  });

  it('when history is turned off, only the orders are written', () => {
    db = openOrderDatabase(':memory:');
    seedOrders(db, generate([randomUUID()], 10), { history: false });
    expect(db.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 10 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM order_status_history').get()).toEqual({ n: 0 });
  });

  it('when one seeded order is invalid, none of the batch is kept', () => {
    db = openOrderDatabase(':memory:');
    const batch: SeedOrder[] = [
      { user_id: 'u', product_name: 'ok', quantity: 1, unit_amount: 100, currency: 'USD' },
      { user_id: 'u', product_name: 'bad', quantity: 0, unit_amount: 100, currency: 'USD' },
    ];
    expect(() => seedOrders(db!, batch)).toThrow(/CHECK constraint failed/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 0 });
  });
});
