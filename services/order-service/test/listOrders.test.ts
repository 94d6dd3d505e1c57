import type { Express } from 'express';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OrderList, type Order } from '@shop/shared/contracts';
import { asService, asUser, badFields, buildApp, moveOrder, newUserId, placeOrder } from './helpers.ts';

/** Follows next_cursor from the first page to the last (bounded), returning every page. */
async function walk(app: Express, userId: string, query: Record<string, string | number> = {}) {
  const pages: Order[][] = [];
  let cursor: string | null | undefined;
  for (let i = 0; i < 100; i++) {
    const res = await request(app)
      .get('/api/orders')
      .set(asUser(userId))
      .query({ ...query, ...(cursor ? { cursor } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const page = OrderList.parse(res.body);
    pages.push(page.data);
    cursor = page.next_cursor;
    if (!cursor) return pages;
  }
  throw new Error('pagination did not end within 100 pages');
}

describe('GET /api/orders over 250 orders', () => {
  let ctx: ReturnType<typeof buildApp>;
  const alice = newUserId();
  const bob = newUserId();
  const created: Order[] = []; // alice's, oldest first
  const paidIds = new Set<string>();

  beforeAll(async () => {
    ctx = buildApp();
    for (let i = 0; i < 250; i++) {
      const order = await placeOrder(ctx.app, alice, { product_name: `Item ${i}`, quantity: 1, price: 10 });
      created.push(order);
      if (i % 3 === 0) {
        await moveOrder(ctx.app, order.id, 'Paid');
        paidIds.add(order.id);
      }
      if (i % 10 === 0) await placeOrder(ctx.app, bob); // interleaved orders of someone else
    }
  });
  afterAll(() => ctx.store.close());

  const newestFirst = () => created.map((o) => o.id).reverse();

  it('when all pages of 100 are walked, every order appears once, newest first, and the last page ends it', async () => {
    const pages = await walk(ctx.app, alice, { limit: 100 });
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    const ids = pages.flat().map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(newestFirst());
    expect(pages.flat().every((o) => o.user_id === alice)).toBe(true);
  });

  it('when no limit is given, pages hold 20 orders and still cover everything', async () => {
    const pages = await walk(ctx.app, alice);
    expect(pages).toHaveLength(13);
    expect(pages.slice(0, 12).every((p) => p.length === 20)).toBe(true);
    expect(pages.flat().map((o) => o.id)).toEqual(newestFirst());
  });

  it('when filtered by status, only those orders come back, all of them, newest first', async () => {
    const paid = (await walk(ctx.app, alice, { status: 'Paid', limit: 7 })).flat();
    expect(paid.every((o) => o.status === 'Paid')).toBe(true);
    expect(paid.map((o) => o.id)).toEqual(newestFirst().filter((id) => paidIds.has(id)));
    const pending = (await walk(ctx.app, alice, { status: 'Pending', limit: 100 })).flat();
    expect(pending.map((o) => o.id)).toEqual(newestFirst().filter((id) => !paidIds.has(id)));
    const none = await walk(ctx.app, alice, { status: 'Refunded' });
    expect(none).toEqual([[]]);
  });

  it('when another user lists, they see only their own orders', async () => {
    const pages = await walk(ctx.app, bob, { limit: 100 });
    expect(pages.flat()).toHaveLength(25);
    expect(pages.flat().every((o) => o.user_id === bob)).toBe(true);
  });
});

describe('GET /api/orders paging rules', () => {
  let ctx: ReturnType<typeof buildApp>;
  beforeEach(() => {
    ctx = buildApp();
  });
  afterEach(() => ctx.store.close());

  it('when new orders arrive while pages are walked, the walk still has no duplicates and misses none it started with', async () => {
    const user = newUserId();
    const first: string[] = [];
    for (let i = 0; i < 30; i++) first.push((await placeOrder(ctx.app, user)).id);
    const page1 = await request(ctx.app).get('/api/orders').set(asUser(user)).query({ limit: 10 });
    for (let i = 0; i < 5; i++) await placeOrder(ctx.app, user); // newer than the cursor
    const everything = (await walk(ctx.app, user)).flat();
    let cursor = page1.body.next_cursor as string | null;
    const seen: string[] = page1.body.data.map((o: Order) => o.id);
    for (let i = 0; cursor && i < 10; i++) {
      const res = await request(ctx.app).get('/api/orders').set(asUser(user)).query({ limit: 10, cursor });
      seen.push(...res.body.data.map((o: Order) => o.id));
      cursor = res.body.next_cursor;
    }
    expect(seen).toEqual([...first].reverse());
    expect(everything).toHaveLength(35); // the new ones are there, above where the walk started
  });

  it('when a user has no orders, the list is empty with no next cursor', async () => {
    const res = await request(ctx.app).get('/api/orders').set(asUser(newUserId()));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], next_cursor: null });
  });

  it.each([
    ['not base64', '!!!'],
    ['base64 of something else', Buffer.from('hello').toString('base64url')],
    ['a negative position', Buffer.from('o1.-5').toString('base64url')],
    ['a tampered cursor', Buffer.from('o1.12x').toString('base64url')],
    ['an over-long cursor', 'a'.repeat(201)],
  ])('when the cursor is %s, 400 names query.cursor', async (_name, cursor) => {
    const res = await request(ctx.app).get('/api/orders').set(asUser(newUserId())).query({ cursor });
    expect(res.status).toBe(400);
    expect(badFields(res.body)).toEqual(['query.cursor']);
  });

  it.each([
    ['limit 0', { limit: 0 }, 'query.limit'],
    ['limit 101', { limit: 101 }, 'query.limit'],
    ['a non-numeric limit', { limit: 'ten' }, 'query.limit'],
    ['an unknown status', { status: 'Shipped' }, 'query.status'],
    ['an unknown parameter', { user_id: newUserId() }, 'query.user_id'],
  ])('when the query has %s, 400 names that field', async (_name, query, field) => {
    const res = await request(ctx.app).get('/api/orders').set(asUser(newUserId())).query(query);
    expect(res.status).toBe(400);
    expect(badFields(res.body)).toEqual([field]);
  });

  it("when a service token lists, 403 comes back: the list is a user's own", async () => {
    const res = await request(ctx.app).get('/api/orders').set(asService());
    expect(res.status).toBe(403);
  });
});
