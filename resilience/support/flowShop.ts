import { registerVerifiedUser } from '@shop/shared/testing';
import { call, type ApiResponse } from '../../e2e/support/api.ts';
import type { TestStack } from '../../e2e/support/testStack.ts';

export interface Customer {
  userId: string;
  email: string;
  token: string;
}

export interface Intent {
  id: string;
  status: string;
  amount: number;
  metadata: Record<string, string>;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** The shop as a client sees it (register, order, pay), plus what the sandboxes recorded. */
export function shopClient(shop: TestStack) {
  const url = (name: Parameters<TestStack['url']>[0], path: string) => `${shop.url(name)}${path}`;
  /** Mails in the Gmail sandbox to `email` whose text names the order and whose subject starts so. */
  async function mailsAbout(email: string, orderId: string, subject: string): Promise<Mail[]> {
    const res = await call<{ messages: Mail[] }>(
      'GET',
      url('gmail-sandbox', `/api/messages?to=${encodeURIComponent(email)}`),
    );
    return res.body.messages.filter((m) => m.subject.startsWith(subject) && m.text.includes(orderId));
  }

  async function expectStatus<T>(what: string, res: Promise<ApiResponse<T>>, status: number): Promise<T> {
    const answered = await res;
    if (answered.status !== status) {
      throw new Error(`${what} answered ${answered.status}: ${JSON.stringify(answered.body)}`);
    }
    return answered.body;
  }

  return {
    /** Registers a new user, logs in and verifies the address (receipts to an unverified one are held). */
    async customer(prefix = 'res'): Promise<Customer> {
      const account = await registerVerifiedUser(
        { users: shop.url('user-service'), gmail: shop.url('gmail-sandbox') },
        { label: prefix, password: 'correct-horse-42' },
      );
      return { userId: account.id, email: account.email, token: account.token };
    },

    async createOrder(who: Customer, quantity = 1, price = 12.5): Promise<{ id: string; amount: number }> {
      return expectStatus(
        'create order',
        call('POST', url('order-service', '/api/order'), {
          token: who.token,
          body: { product_name: 'Resilience test item', quantity, price },
        }),
        201,
      );
    },

    payOrder(who: Customer, orderId: string, paymentMethod?: string) {
      const body = paymentMethod
        ? { order_id: orderId, payment_method: paymentMethod }
        : { order_id: orderId };
      return call('POST', url('payment-service', '/api/pay-order'), { token: who.token, body });
    },

    cancelOrder: (who: Customer, orderId: string) =>
      call('POST', url('order-service', `/api/order/${orderId}/cancel`), { token: who.token }),

    /** Confirms a PaymentIntent the way a browser would, on the sandbox's page. */
    confirmInBrowser: (intentId: string, paymentMethod = 'pm_card_visa') =>
      call('POST', url('stripe-sandbox', `/confirm/${intentId}`), {
        body: { payment_method: paymentMethod },
      }),

    async orderStatus(who: Customer, orderId: string): Promise<string> {
      const res = await call<{ status: string }>('GET', url('order-service', `/api/order/${orderId}`), {
        token: who.token,
      });
      return res.status === 200 ? res.body.status : `HTTP ${res.status}`;
    },

    async paymentOf(who: Customer, orderId: string) {
      return call<{ id: string; status: string }>(
        'GET',
        url('payment-service', `/api/payments?order_id=${orderId}`),
        { token: who.token },
      );
    },

    async notificationsOf(who: Customer, orderId: string) {
      const res = await call<{ data: { status: string; last_error: string | null; attempts: number }[] }>(
        'GET',
        url('notification-service', `/api/notifications?order_id=${orderId}&type=order_paid`),
        { token: who.token },
      );
      return res.status === 200 ? res.body.data : [];
    },

    /** Every PaymentIntent the Stripe sandbox holds. */
    async intents(): Promise<Intent[]> {
      const res = await call<{ data: Intent[] }>('GET', url('stripe-sandbox', '/_sandbox/payment_intents'));
      return res.body.data;
    },

    async intentsFor(orderId: string): Promise<Intent[]> {
      return (await this.intents()).filter((pi) => pi.metadata.order_id === orderId);
    },

    /** Refunds the Stripe sandbox made for this PaymentIntent. */
    async refundsFor(intentId: string): Promise<number> {
      const res = await call<{ data: { payment_intent: string }[] }>(
        'GET',
        url('stripe-sandbox', '/v1/refunds?limit=100'),
        { headers: { authorization: 'Bearer sk_test_sandbox' } },
      );
      return res.body.data.filter((r) => r.payment_intent === intentId).length;
    },

    async mails(): Promise<Mail[]> {
      return (await call<{ messages: Mail[] }>('GET', url('gmail-sandbox', '/api/messages'))).body.messages;
    },

    /** Receipts in the Gmail sandbox for this order (the mail text names the order id). */
    receiptsFor: (email: string, orderId: string) => mailsAbout(email, orderId, 'Your receipt'),
    /** Refund mails in the Gmail sandbox for this order. */
    refundMailsFor: (email: string, orderId: string) => mailsAbout(email, orderId, 'Your refund'),
  };
}

export type ShopClient = ReturnType<typeof shopClient>;

/** Runs `work` over `items` with at most `limit` at a time. */
export async function inParallel<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
