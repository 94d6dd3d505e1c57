import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NotificationList } from '@shop/shared/contracts';
import { bearer, userToken } from '@shop/shared/testing';
import type { ListFilter } from '../src/data/notificationStore.ts';
import {
  createOrder,
  registerUser,
  resetGmail,
  startNeighbours,
  type Neighbours,
} from './support/neighbours.ts';
import { asPaymentService, asUser, notify, startService, type TestService } from './support/service.ts';

let n: Neighbours;
let service: TestService;

beforeAll(async () => {
  n = await startNeighbours();
});
afterAll(async () => {
  await n.close();
});
afterEach(async () => {
  await service?.close();
  await resetGmail(n.gmail);
});

/** Two users: Ann with a welcome mail and a receipt, Bob with a welcome mail. */
async function twoUsersWithMail() {
  const ann = await registerUser(n);
  const bob = await registerUser(n);
  const order = await createOrder(n, ann.id);
  const annWelcome = (await notify(service, { user_id: ann.id, type: 'welcome' })).body.notification_id;
  const annReceipt = (await notify(service, { user_id: ann.id, order_id: order.id })).body.notification_id;
  const bobWelcome = (await notify(service, { user_id: bob.id, type: 'welcome' })).body.notification_id;
  return { ann, bob, order, annWelcome, annReceipt, bobWelcome };
}

describe('GET /api/notifications', () => {
  it('when a user lists notifications, only their own come back, newest first, in the contract shape', async () => {
    service = startService(n);
    const { ann, order, annWelcome, annReceipt } = await twoUsersWithMail();

    const res = await request(service.app)
      .get('/api/notifications')
      .set(bearer(userToken(ann.id)));

    expect(res.status).toBe(200);
    const list = NotificationList.parse(res.body);
    expect(list.data.map((x) => x.id)).toEqual([annReceipt, annWelcome]);
    expect(list.data[0]).toMatchObject({
      user_id: ann.id,
      order_id: order.id,
      type: 'order_paid',
      status: 'sent',
      attempts: 1,
      last_error: null,
      next_attempt_at: null,
    });
  });

  it("when a user asks for another user's notifications, 403 comes back", async () => {
    service = startService(n);
    const { ann, bob } = await twoUsersWithMail();

    const res = await request(service.app)
      .get('/api/notifications')
      .query({ user_id: bob.id })
      .set(bearer(userToken(ann.id)));

    expect(res.status).toBe(403);
  });

  it('when a user narrows their own list by order_id, type and limit, only the matching ones come back', async () => {
    service = startService(n);
    const { ann, order, annReceipt, annWelcome } = await twoUsersWithMail();
    const list = async (query: Record<string, string | number>) => {
      const res = await request(service.app).get('/api/notifications').query(query).set(asUser(ann.id));
      expect(res.status).toBe(200);
      return (res.body as { data: { id: string }[] }).data.map((x) => x.id);
    };

    expect(await list({ order_id: order.id })).toEqual([annReceipt]);
    expect(await list({ user_id: ann.id, type: 'welcome' })).toEqual([annWelcome]);
    expect(await list({ limit: 1 })).toEqual([annReceipt]);
  });

  it('when a service lists notifications or reads one, 403 comes back and nothing is shown', async () => {
    service = startService(n);
    const { ann, annWelcome } = await twoUsersWithMail();

    const list = await request(service.app)
      .get('/api/notifications')
      .query({ user_id: ann.id })
      .set(asPaymentService);
    const one = await request(service.app).get(`/api/notifications/${annWelcome}`).set(asPaymentService);

    for (const res of [list, one]) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'forbidden' });
      expect(res.body).not.toHaveProperty('data');
      expect(res.body).not.toHaveProperty('id');
    }
  });

  it('when the store lists, it holds every user, and user_id, order_id, type and limit narrow the list', async () => {
    service = startService(n);
    const { ann, bob, order, annReceipt, annWelcome, bobWelcome } = await twoUsersWithMail();
    const list = (filter: Omit<ListFilter, 'limit'> & { limit?: number }) =>
      service.store.list({ limit: 50, ...filter }).map((x) => x.id);

    const everyone = list({});
    expect(everyone).toEqual(expect.arrayContaining([annReceipt, annWelcome, bobWelcome]));
    expect(list({ user_id: bob.id })).toEqual([bobWelcome]);
    expect(list({ order_id: order.id })).toEqual([annReceipt]);
    expect(list({ user_id: ann.id, type: 'welcome' })).toEqual([annWelcome]);
    expect(list({ user_id: ann.id, limit: 1 })).toEqual([annReceipt]);
  });

  it('when the query is bad, 400 names the fields', async () => {
    service = startService(n);
    const res = await request(service.app)
      .get('/api/notifications')
      .query({ user_id: 'x', limit: 1000, sort: 'asc' })
      .set(asUser(randomUUID()));

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'limit',
      'sort',
      'user_id',
    ]);
  });

  it('when no token is sent, 401 comes back', async () => {
    service = startService(n);
    expect((await request(service.app).get('/api/notifications')).status).toBe(401);
  });
});

describe('GET /api/notifications/:id', () => {
  it("when a user asks for their own notification they get it; someone else's is 404", async () => {
    service = startService(n);
    const { ann, bob, annWelcome } = await twoUsersWithMail();

    const own = await request(service.app)
      .get(`/api/notifications/${annWelcome}`)
      .set(bearer(userToken(ann.id)));
    const other = await request(service.app)
      .get(`/api/notifications/${annWelcome}`)
      .set(bearer(userToken(bob.id)));
    const unknown = await request(service.app)
      .get(`/api/notifications/${randomUUID()}`)
      .set(bearer(userToken(ann.id)));

    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: annWelcome, user_id: ann.id, type: 'welcome', status: 'sent' });
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('notification_not_found');
    expect(unknown.status).toBe(404);
  });
});
