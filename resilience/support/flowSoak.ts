import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiResponse } from '../../e2e/support/api.ts';
import { inParallel, type Customer, type ShopClient } from './flowShop.ts';

export type Kind = 'card' | 'declined' | 'client_confirmed';

export interface PlacedOrder {
  who: Customer;
  orderId: string;
  kind: Kind;
}

export interface LoadFigures {
  orders: PlacedOrder[];
  calls: number;
  /** Calls answered 5xx or not at all: the faults the services could not hide from the client. */
  failedCalls: number;
}

const KINDS: Kind[] = ['card', 'card', 'card', 'declined', 'client_confirmed'];
const RETRIES = 2;
/** A user's pause between two orders: moderate load, so the run measures faults, not saturation. */
const THINK_MS = 750;

/**
 * One virtual user: registers and logs in once, then until `deadline` creates an order and pays it
 * (a good card, a declining one, or confirmed by the client on the Stripe page), repeating a
 * pay-order that failed with 5xx up to twice, as a client would.
 */
export async function virtualUser(client: ShopClient, index: number, deadline: number): Promise<LoadFigures> {
  const figures: LoadFigures = { orders: [], calls: 0, failedCalls: 0 };
  const track = async <T>(work: Promise<ApiResponse<T>>): Promise<ApiResponse<T> | undefined> => {
    figures.calls++;
    try {
      const res = await work;
      if (res.status >= 500) figures.failedCalls++;
      return res;
    } catch {
      figures.failedCalls++; // no answer in 30 s
      return undefined;
    }
  };
  const who = await client.customer(`soak${index}-`);
  for (let i = 0; Date.now() < deadline && i < 10_000; i++) {
    const kind = KINDS[(index + i) % KINDS.length]!;
    figures.calls++;
    const order = await client.createOrder(who, 1 + (i % 3), 4.99).catch(() => undefined);
    if (!order) {
      figures.failedCalls++; // no order to pay (a lost answer leaves at most an unpaid Pending one)
      await sleep(THINK_MS);
      continue;
    }
    figures.orders.push({ who, orderId: order.id, kind });
    const method =
      kind === 'card' ? 'pm_card_visa' : kind === 'declined' ? 'pm_card_chargeDeclined' : undefined;
    for (let attempt = 0; attempt <= RETRIES; attempt++) {
      const res = await track(client.payOrder(who, order.id, method));
      if (res && res.status < 500) {
        if (kind === 'client_confirmed' && res.status === 201) {
          await track(client.confirmInBrowser(res.body.payment_intent_id));
        }
        break;
      }
      await sleep(300);
    }
    await sleep(THINK_MS);
  }
  return figures;
}

export interface OrderCheck {
  orders: number;
  paid: number;
  unpaid: number;
  /** Orders Paid without a succeeded PaymentIntent, or charged but not Paid. */
  lost: string[];
  /** Orders with more than one succeeded PaymentIntent. */
  duplicatedCharges: string[];
  /** Paid orders without a receipt. */
  missingReceipts: string[];
  /** Orders with more than one receipt, or a receipt while not Paid. */
  duplicatedReceipts: string[];
}

/** Compares every order with what Stripe charged and what Gmail sent. */
export async function checkOrders(client: ShopClient, orders: PlacedOrder[]): Promise<OrderCheck> {
  const [intents, mails] = await Promise.all([client.intents(), client.mails()]);
  const statuses = await inParallel(orders, 16, (o) => client.orderStatus(o.who, o.orderId));
  const check: OrderCheck = {
    orders: orders.length,
    paid: 0,
    unpaid: 0,
    lost: [],
    duplicatedCharges: [],
    missingReceipts: [],
    duplicatedReceipts: [],
  };
  orders.forEach(({ orderId }, i) => {
    const paid = statuses[i] === 'Paid';
    const charges = intents.filter(
      (pi) => pi.metadata.order_id === orderId && pi.status === 'succeeded',
    ).length;
    const receipts = mails.filter(
      (m) => m.subject.startsWith('Your receipt') && m.text.includes(orderId),
    ).length;
    if (paid) check.paid++;
    else check.unpaid++;
    if (paid !== charges > 0) check.lost.push(`${orderId}: ${statuses[i]} with ${charges} charges`);
    if (charges > 1) check.duplicatedCharges.push(`${orderId}: ${charges} charges`);
    if (paid && receipts === 0) check.missingReceipts.push(orderId);
    if (receipts > 1 || (!paid && receipts > 0))
      check.duplicatedReceipts.push(`${orderId}: ${receipts} receipts`);
  });
  return check;
}

export const isSettled = (c: OrderCheck) =>
  c.lost.length + c.duplicatedCharges.length + c.missingReceipts.length + c.duplicatedReceipts.length === 0;
