import { formatMoney } from '@shop/shared';
import type { NotificationType, Order, User } from '@shop/shared/contracts';
import { escapeHtml, htmlLayout } from './html.ts';

/** What a mail says, before it becomes MIME. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const paidAtFormat = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** "21 November 2025 at 09:00 UTC": the same for every reader, whatever the server's zone. */
export function formatPaidAt(iso: string): string {
  return `${paidAtFormat.format(new Date(iso))} UTC`;
}

/**
 * Subjects are fixed text plus at most this: a user chooses a product name and a username, and a
 * subject is what a phisher would want them in (it is read before the mail is opened).
 */
const shortId = (order: Order) => order.id.slice(0, 8);

const money = (cents: number, currency: Order['currency']) => `${formatMoney(cents, currency)} ${currency}`;

/**
 * A mail about an order: a greeting, one paragraph, the rows (aligned in the text part, a table in
 * the HTML part, where every value is escaped) and a closing paragraph.
 */
function orderMail(
  user: User,
  parts: { subject: string; title: string; intro: string; rows: [string, string][]; outro: string },
): MailContent {
  const { subject, title, intro, rows, outro } = parts;
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const text = [
    `Hello ${user.username},`,
    '',
    intro,
    '',
    ...rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`),
    '',
    outro,
  ].join('\n');
  const html = htmlLayout({
    title,
    intro: [`Hello ${escapeHtml(user.username)},`, intro],
    rows,
    outro: [outro],
  });
  return { subject, text, html };
}

/** The confirmation that an order was placed: what it is and what it will cost, before payment. */
export function orderCreatedMail(user: User, order: Order): MailContent {
  return orderMail(user, {
    subject: `Your order ${shortId(order)} is placed`,
    title: 'Your order',
    intro: 'Thank you: we have your order. It is paid once you complete the payment.',
    rows: [
      ['Order', order.id],
      ['Product', order.product_name],
      ['Quantity', String(order.quantity)],
      ['Total', money(order.amount, order.currency)],
    ],
    outro: 'You get a receipt when the payment goes through.',
  });
}

/**
 * The receipt for a paid order. `paidAt` is when the order became Paid (the order's updated_at,
 * since the move to Paid is its last change).
 */
export function receiptMail(user: User, order: Order, paidAt: string): MailContent {
  return orderMail(user, {
    subject: `Your receipt for order ${shortId(order)}`,
    title: 'Your receipt',
    intro: 'Thank you for your order. We have received your payment.',
    rows: [
      ['Order', order.id],
      ['Product', order.product_name],
      ['Quantity', String(order.quantity)],
      ['Unit price', money(order.unit_amount, order.currency)],
      ['Amount paid', money(order.amount, order.currency)],
      ['Paid at', formatPaidAt(paidAt)],
    ],
    outro: 'Keep this mail as your receipt.',
  });
}

/** The notice that an order's payment was refunded (in full: the shop refunds only in full). */
export function refundMail(user: User, order: Order): MailContent {
  return orderMail(user, {
    subject: `Your refund for order ${shortId(order)}`,
    title: 'Your refund',
    intro: 'We have refunded your payment. It goes back to the card you paid with.',
    rows: [
      ['Order', order.id],
      ['Product', order.product_name],
      ['Amount refunded', money(order.amount, order.currency)],
    ],
    outro: 'Your bank may take a few days to show the refund on your statement.',
  });
}

export function welcomeMail(user: User): MailContent {
  const text = [
    `Hello ${user.username},`,
    '',
    'Welcome! Your account is ready: you can sign in and place your first order.',
    '',
    `You signed up with ${user.email}. You can turn these mails off in your notification preferences.`,
  ].join('\n');
  const html = htmlLayout({
    title: 'Welcome!',
    intro: [
      `Hello ${escapeHtml(user.username)},`,
      'Welcome! Your account is ready: you can sign in and place your first order.',
      `You signed up with ${escapeHtml(user.email)}. You can turn these mails off in your notification preferences.`,
    ],
  });
  return { subject: 'Welcome to the shop!', text, html };
}

/** The mail of each type; an order mail needs its order (the notifier fetched it). */
export function renderMail(type: NotificationType, user: User, order: Order | undefined): MailContent {
  if (type === 'welcome') return welcomeMail(user);
  if (!order) throw new Error(`${type} without an order`);
  switch (type) {
    case 'order_created':
      return orderCreatedMail(user, order);
    // The move to Paid is the order's last change, so its updated_at is when it was paid.
    case 'order_paid':
      return receiptMail(user, order, order.updated_at);
    case 'order_refunded':
      return refundMail(user, order);
    default: // a security mail: securityMail (accountTemplates.ts) writes it with its action
      throw new Error(`${type} is not written from a user and an order`);
  }
}
