import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '@shop/shared';
import { MIGRATIONS } from '../src/data/migrations.ts';
import { openNotificationStore } from '../src/data/sqliteNotificationStore.ts';
import {
  createOrder,
  mailsTo,
  muteEmails,
  rawMail,
  registerUser,
  setOrderStatus,
} from './support/neighbours.ts';
import { getNotification, notify, startService } from './support/service.ts';
import { deliverySuite } from './support/suite.ts';

const suite = deliverySuite('notification-refund-');
const start = () => suite.track(startService(suite.n));

/** A user's order, paid and then refunded. */
async function refundedOrder(product_name = 'Notebook') {
  const user = await registerUser(suite.n);
  const order = await createOrder(suite.n, user.id, {
    product_name,
    quantity: 2,
    price: '12.50',
    currency: 'EUR',
  });
  return { user, order: await setOrderStatus(suite.n, order.id, 'Refunded') };
}

describe('POST /api/notify: the refund mail', () => {
  it('when an order is refunded, one mail goes out naming the order and the amount refunded, its subject free of user text', async () => {
    const service = start();
    const { user, order } = await refundedOrder('Tea <b>set</b> & "Bcc: x@example.com"\r\nX: y');

    const res = await notify(service, { user_id: user.id, order_id: order.id, type: 'order_refunded' });
    const again = await notify(service, { user_id: user.id, order_id: order.id, type: 'order_refunded' });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ notification_id: expect.any(String), status: 'sent' });
    expect(again.body).toEqual(res.body);
    const [message, ...others] = await mailsTo(suite.n.gmail, user.email);
    expect(others).toEqual([]);
    const { mail } = await rawMail(suite.n.gmail, message!.id);
    expect(mail.subject).toBe(`Your refund for order ${order.id.slice(0, 8)}`);
    for (const part of [mail.text ?? '', String(mail.html)]) {
      expect(part).toContain(order.id);
      expect(part).toContain('€25.00 EUR');
    }
    expect(mail.text).toContain('Amount refunded: €25.00 EUR');
    expect(mail.html).toContain('Tea &lt;b&gt;set&lt;/b&gt; &amp; &quot;Bcc: x@example.com&quot;');
    expect(mail.html).not.toContain('<b>set</b>');
  });

  it('when the user muted order updates, the refund mail is recorded as skipped and nothing is sent', async () => {
    const service = start();
    const { user, order } = await refundedOrder();
    await muteEmails(suite.n, user.id, 'order_updates');

    const res = await notify(service, { user_id: user.id, order_id: order.id, type: 'order_refunded' });

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('skipped');
    expect(await mailsTo(suite.n.gmail, user.email)).toEqual([]);
    const stored = await getNotification(service, user.id, res.body.notification_id);
    expect(stored).toMatchObject({ type: 'order_refunded', status: 'skipped', attempts: 0 });
  });

  it('when the order is only Paid, a refund mail is a 409 and nothing is recorded', async () => {
    const service = start();
    const user = await registerUser(suite.n);
    const order = await createOrder(suite.n, user.id);

    const res = await notify(service, { user_id: user.id, order_id: order.id, type: 'order_refunded' });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'order_not_refunded' });
    expect(service.store.list({ user_id: user.id, limit: 10 })).toEqual([]);
  });

  it('when a refund mail names no order, 400 comes back', async () => {
    const service = start();
    const user = await registerUser(suite.n);

    const res = await notify(service, { user_id: user.id, type: 'order_refunded' });

    expect(res.status).toBe(400);
  });
});

describe('the migration that adds order_refunded', () => {
  it('when a database of the previous version is opened, its mails are kept and a refund mail can be stored', () => {
    const path = join(suite.dir, 'migrated.sqlite');
    const old = openSqlite(path, MIGRATIONS.slice(0, 2));
    old
      .prepare(
        `INSERT INTO notifications (id, type, user_id, order_id, status, recipient, created_at, updated_at, queued_since)
         VALUES ('n1', 'order_paid', 'u1', 'o1', 'sent', 'a@example.com', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
      )
      .run();
    old.close();

    const store = openNotificationStore(path);
    expect(store.get('n1')).toMatchObject({ type: 'order_paid', status: 'sent', order_id: 'o1' });
    const { inserted } = store.insertOnce({
      id: 'n2',
      type: 'order_refunded',
      user_id: 'u1',
      order_id: 'o1',
      reference: null,
      recipient: 'a@example.com',
      mailbox: 'a@example.com',
      created_at: '2026-01-02T00:00:00Z',
      initial: { status: 'skipped', reason: 'muted' },
    });
    expect(inserted).toBe(true);
    store.close();
  });
});
