import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verificationCodeFor } from '@shop/shared/testing';
import { call, eventually } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/testStack.ts';

let shop: TestStack;
let token: string;
let userId: string;
const email = `ann.${randomUUID().slice(0, 8)}@example.com`;
const password = 'correct-horse-42';

const user = (path: string) => `${shop.url('user-service')}${path}`;
const orders = (path: string) => `${shop.url('order-service')}${path}`;
const payments = (path: string) => `${shop.url('payment-service')}${path}`;
const stripe = (path: string) => `${shop.url('stripe-sandbox')}${path}`;
const gmail = (path: string) => `${shop.url('gmail-sandbox')}${path}`;

type Mail = { to: string; subject: string; text: string; html: string };
const mailsTo = async (address: string) =>
  (await call<{ messages: Mail[] }>('GET', gmail(`/api/messages?to=${encodeURIComponent(address)}`))).body
    .messages;
const intentsFor = async (orderId: string) =>
  (
    await call<{ data: { metadata: Record<string, string>; status: string; amount: number }[] }>(
      'GET',
      stripe('/_sandbox/payment_intents'),
    )
  ).body.data.filter((pi) => pi.metadata.order_id === orderId);

async function createOrder(quantity: number, price: number) {
  const res = await call('POST', orders('/api/order'), {
    token,
    body: { product_name: 'Mechanical keyboard', quantity, price },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; amount: number; status: string };
}

beforeAll(async () => {
  shop = await startTestStack();
});
afterAll(async () => {
  await shop?.stop();
});

describe('the main flow across the six processes', () => {
  it('when a user registers, 201 comes back unverified and one verification mail (link and code, no welcome yet) arrives', async () => {
    const res = await call('POST', user('/api/user'), {
      body: { username: `ann${randomUUID().slice(0, 6)}`, email, password },
    });
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('password');
    expect(res.body.email_verified).toBe(false);
    userId = res.body.id;
    const mails = await eventually('the verification mail', async () => {
      const found = await mailsTo(email);
      return found.length > 0 && found;
    });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Confirm your email address');
    expect(mails[0]!.text).toMatch(/Code: \d{6}/);
  });

  it('when the user logs in and enters the mailed code, the address is verified and the welcome mail follows', async () => {
    const res = await call('POST', user('/api/login'), { body: { email, password } });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
    expect(res.body.refresh_token).toEqual(expect.any(String));
    token = res.body.token;
    const code = await verificationCodeFor(gmail(''), email);
    const verified = await call('POST', user('/api/user/me/verify-email'), { token, body: { code } });
    expect(verified.status).toBe(200);
    const me = await call('GET', user('/api/user/me'), { token });
    expect(me.body).toMatchObject({ id: userId, email, email_verified: true });
    const welcome = await eventually('the welcome mail', async () =>
      (await mailsTo(email)).find((m) => /welcome/i.test(m.subject)),
    );
    expect(welcome.text).toContain(email);
  });

  it('when an order of 2 x 19.99 is created, one order_created mail arrives; paid with pm_card_visa, it is Paid, charged 3998 once, and one receipt arrives', async () => {
    const order = await createOrder(2, 19.99);
    expect(order.amount).toBe(3998);
    const mailsWith = async (subject: string) => (await mailsTo(email)).filter((m) => m.subject === subject);
    const placed = await eventually('the order_created mail', async () => {
      const found = await mailsWith(`Your order ${order.id.slice(0, 8)} is placed`);
      return found.length > 0 && found;
    });
    expect(placed).toHaveLength(1);
    expect(placed[0]!.text).toContain(order.id);
    const paid = await call('POST', payments('/api/pay-order'), {
      token,
      body: { order_id: order.id, payment_method: 'pm_card_visa' },
    });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'succeeded', amount: 3998, order_id: order.id });
    expect((await call('GET', orders(`/api/order/${order.id}`), { token })).body.status).toBe('Paid');
    const intents = await intentsFor(order.id);
    expect(intents.map((pi) => [pi.amount, pi.status])).toEqual([[3998, 'succeeded']]);
    const receiptSubject = `Your receipt for order ${order.id.slice(0, 8)}`;
    const receipts = await eventually('the receipt', async () => {
      const found = await mailsWith(receiptSubject);
      return found.length > 0 && found;
    });
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.text).toContain('39.98');

    const again = await call('POST', payments('/api/pay-order'), {
      token,
      body: { order_id: order.id, payment_method: 'pm_card_visa' },
    });
    expect(again.status).toBeLessThan(500);
    expect(await intentsFor(order.id)).toHaveLength(1);
    expect(await mailsWith(receiptSubject)).toHaveLength(1);
    expect((await mailsTo(email)).filter((m) => m.text.includes(order.id))).toHaveLength(2); // placed, receipt
  });

  it('when the card is declined, 402 comes back, the order stays Pending, and another card then pays it', async () => {
    const order = await createOrder(1, 5);
    const declined = await call('POST', payments('/api/pay-order'), {
      token,
      body: { order_id: order.id, payment_method: 'pm_card_chargeDeclinedInsufficientFunds' },
    });
    expect(declined.status).toBe(402);
    expect(declined.body.decline_code).toBe('insufficient_funds');
    expect((await call('GET', orders(`/api/order/${order.id}`), { token })).body.status).toBe('Pending');

    const paid = await call('POST', payments('/api/pay-order'), {
      token,
      body: { order_id: order.id, payment_method: 'pm_card_visa' },
    });
    expect(paid.status).toBe(200);
    expect((await call('GET', orders(`/api/order/${order.id}`), { token })).body.status).toBe('Paid');
    expect(await intentsFor(order.id)).toHaveLength(1);
  });

  it('when the client confirms the payment itself, the webhook makes the order Paid', async () => {
    const order = await createOrder(3, 2.5);
    const started = await call('POST', payments('/api/pay-order'), { token, body: { order_id: order.id } });
    expect([201, 202]).toContain(started.status);
    expect(started.body.client_secret).toMatch(/^pi_.+_secret_/);
    const confirmed = await call('POST', stripe(`/confirm/${started.body.payment_intent_id}`), {
      body: { payment_method: 'pm_card_visa' },
    });
    expect(confirmed.status).toBe(200);
    await eventually('the order to become Paid through the webhook', async () => {
      const res = await call('GET', orders(`/api/order/${order.id}`), { token });
      return res.body.status === 'Paid';
    });
  });

  it('when a paid order is refunded, the order becomes Refunded and one refund mail arrives', async () => {
    const order = await createOrder(1, 12);
    const paid = await call('POST', payments('/api/pay-order'), {
      token,
      body: { order_id: order.id, payment_method: 'pm_card_visa' },
    });
    expect(paid.status).toBe(200);
    const refunded = await call('POST', payments(`/api/payment/${paid.body.id}/refund`), { token });
    expect(refunded.status).toBe(200);
    expect(refunded.body.status).toBe('refunded');
    await eventually('the order to become Refunded', async () => {
      const res = await call('GET', orders(`/api/order/${order.id}`), { token });
      return res.body.status === 'Refunded';
    });
    const refundMails = async () =>
      (await mailsTo(email)).filter((m) => m.subject === `Your refund for order ${order.id.slice(0, 8)}`);
    const found = await eventually('the refund mail', async () => {
      const mails = await refundMails();
      return mails.length > 0 && mails;
    });
    expect(found).toHaveLength(1);
    expect(found[0]!.text).toContain(order.id);
    expect(await refundMails()).toHaveLength(1);
  });

  it('no log line of the whole run contains the password or a bcrypt hash', () => {
    expect(shop.logs.length).toBeGreaterThan(0);
    expect(shop.logs.filter((line) => line.includes(password) || /\$2[aby]\$\d\d\$/.test(line))).toEqual([]);
  });
});
