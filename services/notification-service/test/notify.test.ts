import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, serviceToken, userToken } from '@shop/shared/testing';
import {
  createOrder,
  mailsTo,
  muteEmails,
  rawMail,
  registerUser,
  resetGmail,
  startNeighbours,
  type Neighbours,
} from './support/neighbours.ts';
import { getNotification, notify, startService, type TestService } from './support/service.ts';

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

describe('POST /api/notify: the receipt', () => {
  it('when an order is paid, one receipt goes out whose raw MIME names the order, product, quantity, amount and paid time', async () => {
    service = startService(n);
    const user = await registerUser(n);
    const order = await createOrder(n, user.id, {
      product_name: 'Crème brûlée <b>set</b> & "Tea" ☕',
      quantity: 3,
      price: '12.50',
      currency: 'EUR',
    });

    const res = await notify(service, { user_id: user.id, order_id: order.id });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ notification_id: expect.any(String), status: 'sent' });
    const [message, ...others] = await mailsTo(n.gmail, user.email);
    expect(others).toEqual([]);
    const { raw, mail } = await rawMail(n.gmail, message!.id);

    // Non-ASCII travels encoded (RFC 2047 / QP or base64), never as raw 8-bit header bytes.
    expect(raw).toMatch(/^From: =\?UTF-8\?/m);
    // Gmail sets its own Message-ID on the mail it sends (the service's, in the sender's domain, is not relied on).
    expect(raw).toMatch(/^Message-ID: <[\w-]+@mail\.gmail\.com>/m);
    expect(mail.subject).toBe(`Your receipt for order ${order.id.slice(0, 8)}`);
    expect(mail.from?.value).toEqual([{ name: 'Café Shop', address: 'shop@example.com' }]);
    expect(mail.to).toMatchObject({ value: [{ name: user.username, address: user.email }] });

    const paidAt = new Intl.DateTimeFormat('en-GB', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'UTC',
    }).format(new Date(order.updated_at));
    for (const part of [mail.text ?? '', String(mail.html)]) {
      expect(part).toContain(order.id);
      expect(part).toContain('€37.50 EUR');
      expect(part).toContain('€12.50 EUR');
      expect(part).toContain(`${paidAt} UTC`);
    }
    expect(mail.text).toContain('Product:     Crème brûlée <b>set</b> & "Tea" ☕');
    expect(mail.text).toContain('Quantity:    3');
    // In the HTML part the product name is text, not markup.
    expect(mail.html).toContain('Crème brûlée &lt;b&gt;set&lt;/b&gt; &amp; &quot;Tea&quot; ☕');
    expect(mail.html).not.toContain('<b>set</b>');
    expect(mail.html).toMatch(/<th align="left">Quantity<\/th><td>3<\/td>/);
  });

  it('when notify is called again for the same order, the first result comes back and no second mail is sent', async () => {
    service = startService(n);
    const user = await registerUser(n);
    const order = await createOrder(n, user.id);

    const first = await notify(service, { user_id: user.id, order_id: order.id });
    const again = await notify(service, { user_id: user.id, order_id: order.id, type: 'order_paid' });

    expect(first.body.status).toBe('sent');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await mailsTo(n.gmail, user.email)).toHaveLength(1);
  });

  it('when ten notify calls for one order arrive at once, they all answer the same notification and one mail goes out', async () => {
    service = startService(n);
    const user = await registerUser(n);
    const order = await createOrder(n, user.id);

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => notify(service, { user_id: user.id, order_id: order.id })),
    );

    const ids = new Set(answers.map((a) => a.body.notification_id));
    expect(ids.size).toBe(1);
    expect(answers.every((a) => a.status === 200 || a.status === 202)).toBe(true);
    const [id] = [...ids];
    expect((await getNotification(service, user.id, id)).status).toBe('sent');
    expect(await mailsTo(n.gmail, user.email)).toHaveLength(1);
  });

  it('when the user muted order updates, the receipt is recorded as skipped and nothing is sent', async () => {
    service = startService(n);
    const user = await registerUser(n);
    await muteEmails(n, user.id, 'order_updates');
    const order = await createOrder(n, user.id);

    const res = await notify(service, { user_id: user.id, order_id: order.id });

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('skipped');
    expect(await mailsTo(n.gmail, user.email)).toEqual([]);
    const stored = await getNotification(service, user.id, res.body.notification_id);
    expect(stored).toMatchObject({ status: 'skipped', attempts: 0, sent_at: null });
    expect(stored.last_error).toMatch(/order_updates/);
  });

  it('when the order is not paid yet, 409 comes back and nothing is recorded', async () => {
    service = startService(n);
    const user = await registerUser(n);
    const order = await createOrder(n, user.id, { paid: false });

    const res = await notify(service, { user_id: user.id, order_id: order.id });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'order_not_paid' });
    expect(service.store.list({ user_id: user.id, limit: 10 })).toEqual([]);
  });
});

describe('POST /api/notify: the welcome mail', () => {
  it('when a welcome mail is asked for, it greets the user by name in both parts and is sent once', async () => {
    service = startService(n);
    const user = await registerUser(n);

    const res = await notify(service, { user_id: user.id, type: 'welcome' });
    const again = await notify(service, { user_id: user.id, type: 'welcome' });

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('sent');
    expect(again.body.notification_id).toBe(res.body.notification_id);
    const [message, ...others] = await mailsTo(n.gmail, user.email);
    expect(others).toEqual([]);
    const { mail } = await rawMail(n.gmail, message!.id);
    expect(mail.subject).toBe('Welcome to the shop!');
    expect(mail.text).toContain(`Hello ${user.username},`);
    expect(mail.html).toContain(`Hello ${user.username},`);
    expect(mail.html).toContain(user.email);
  });

  it('when the user muted welcome mails, the welcome mail is skipped', async () => {
    service = startService(n);
    const user = await registerUser(n);
    await muteEmails(n, user.id, 'welcome');

    const res = await notify(service, { user_id: user.id });

    expect(res.body.status).toBe('skipped');
    expect(await mailsTo(n.gmail, user.email)).toEqual([]);
  });
});

describe('POST /api/notify: who may call it and with what', () => {
  it('when a user token calls notify, even for that user, 403 comes back and nothing is sent', async () => {
    service = startService(n);
    const user = await registerUser(n);

    const res = await request(service.app)
      .post('/api/notify')
      .set(bearer(userToken(user.id)))
      .send({ user_id: user.id, type: 'welcome' });

    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await mailsTo(n.gmail, user.email)).toEqual([]);
  });

  it.each([
    ['order-service', 'welcome'],
    ['order-service', 'order_paid'],
    ['payment-service', 'welcome'],
    ['payment-service', 'order_created'],
    ['user-service', 'order_paid'],
    ['user-service', 'order_refunded'],
  ] as const)(
    'when the %s asks for a %s mail (a type it does not request), 403 comes back and nothing is recorded or sent',
    async (caller, type) => {
      service = startService(n);
      const user = await registerUser(n);
      const order = await createOrder(n, user.id);
      const body =
        type === 'welcome' ? { user_id: user.id, type } : { user_id: user.id, order_id: order.id, type };

      const res = await request(service.app)
        .post('/api/notify')
        .set(bearer(serviceToken(caller, 'notification-service')))
        .send(body);

      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'forbidden' });
      expect(service.store.list({ user_id: user.id, limit: 10 })).toEqual([]);
      expect(await mailsTo(n.gmail, user.email)).toEqual([]);
    },
  );

  it('when no token is sent, 401 comes back', async () => {
    service = startService(n);
    const res = await request(service.app).post('/api/notify').send({ user_id: randomUUID() });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('when the user does not exist, 404 user_not_found comes back and nothing is recorded', async () => {
    service = startService(n);
    const userId = randomUUID();

    const res = await notify(service, { user_id: userId, type: 'welcome' });

    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'user_not_found' });
    expect(service.store.list({ user_id: userId, limit: 10 })).toEqual([]);
  });

  it('when the order does not exist, 404 order_not_found comes back', async () => {
    service = startService(n);
    const user = await registerUser(n);

    const res = await notify(service, { user_id: user.id, order_id: randomUUID() });

    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'order_not_found' });
  });

  it('when the order belongs to another user, 404 order_not_found comes back and neither user gets mail', async () => {
    service = startService(n);
    const owner = await registerUser(n);
    const other = await registerUser(n);
    const order = await createOrder(n, owner.id);

    const res = await notify(service, { user_id: other.id, order_id: order.id });

    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'order_not_found' });
    expect(await mailsTo(n.gmail, owner.email)).toEqual([]);
    expect(await mailsTo(n.gmail, other.email)).toEqual([]);
  });

  it('when the body is bad, 400 names each bad field', async () => {
    service = startService(n);

    const res = await notify(service, { user_id: 'not-a-uuid', order_id: 42, colour: 'red' });
    const welcomeWithOrder = await notify(service, {
      user_id: randomUUID(),
      order_id: randomUUID(),
      type: 'welcome',
    });
    const paidWithoutOrder = await notify(service, { user_id: randomUUID(), type: 'order_paid' });

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'colour',
      'order_id',
      'user_id',
    ]);
    expect(welcomeWithOrder.status).toBe(400);
    expect(welcomeWithOrder.body.errors).toEqual([
      {
        in: 'body',
        field: 'order_id',
        message: 'Not allowed for welcome',
      },
    ]);
    expect(paidWithoutOrder.status).toBe(400);
    expect(paidWithoutOrder.body.errors).toEqual([
      { in: 'body', field: 'order_id', message: 'Required for order_paid' },
    ]);
  });

  it('when a request carries an order that is not its own order_created order, 400 names the order field and nothing is recorded', async () => {
    service = startService(n);
    const user = await registerUser(n);
    const order = await createOrder(n, user.id);

    const onReceipt = await notify(service, {
      user_id: user.id,
      order_id: order.id,
      type: 'order_paid',
      order,
    });
    const otherOrder = await notify(service, {
      user_id: user.id,
      order_id: randomUUID(),
      type: 'order_created',
      order,
    });
    const otherUser = await notify(service, {
      user_id: randomUUID(),
      order_id: order.id,
      type: 'order_created',
      order,
    });

    expect(onReceipt.status).toBe(400);
    expect(onReceipt.body.errors).toEqual([
      { in: 'body', field: 'order', message: 'Only allowed for order_created' },
    ]);
    for (const res of [otherOrder, otherUser]) {
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { in: 'body', field: 'order', message: 'Must be the order named by order_id, of user_id' },
      ]);
    }
    expect(service.store.list({ user_id: user.id, limit: 10 })).toEqual([]);
    expect(await mailsTo(n.gmail, user.email)).toEqual([]);
  });
});
