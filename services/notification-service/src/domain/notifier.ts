import { randomUUID } from 'node:crypto';
import { conflict, forbidden, notFound, type Logger } from '@shop/shared';
import type { NotificationKind, NotificationType, NotifyBody, Order, User } from '@shop/shared/contracts';
import type {
  ListFilter,
  NewNotification,
  NotificationRecord,
  NotificationStore,
} from '../data/notificationStore.ts';
import { addMs, leaseMs } from './leases.ts';
import { composeMime } from './composeMime.ts';
import type { Delivery, DeliveryDeps } from './delivery.ts';
import { fetchOrder, fetchUser, type OrderLookup, type UserLookup } from './lookups.ts';
import type { Mailer } from './mailer.ts';
import { receiptMail, refundMail, welcomeMail, type MailContent } from './templates.ts';

/** Which preference mutes which notification. */
const KIND_OF: Record<NotificationType, NotificationKind> = {
  order_paid: 'order_updates',
  order_refunded: 'order_updates',
  welcome: 'welcome',
};

/**
 * The order states a mail about the order may be sent in. A refund mail also goes out for an order
 * that stays Cancelled: it was cancelled during its charge and the charge was refunded automatically.
 */
const MAIL_NEEDS: Record<
  Exclude<NotificationType, 'welcome'>,
  { states: Order['status'][]; code: string }
> = {
  order_paid: { states: ['Paid'], code: 'order_not_paid' },
  order_refunded: { states: ['Refunded', 'Cancelled'], code: 'order_not_refunded' },
};

export interface NotifierDeps {
  store: NotificationStore;
  users: UserLookup;
  orders: OrderLookup;
  mailer: Mailer;
  delivery: Delivery;
  logger: Logger;
  now: () => Date;
  /** Timeout of the one Gmail try made while the caller waits. */
  inlineTimeoutMs: number;
  recordOutcome: DeliveryDeps['recordOutcome'];
}

export type Notifier = ReturnType<typeof createNotifier>;

export function createNotifier(deps: NotifierDeps) {
  const { store, logger, now } = deps;

  const render = (type: NotificationType, user: User, order: Order | undefined): MailContent => {
    if (type === 'welcome') return welcomeMail(user);
    if (!order) throw new Error(`${type} without an order`);
    if (type === 'order_refunded') return refundMail(user, order);
    // The move to Paid is the order's last change, so its updated_at is when it was paid.
    return receiptMail(user, order, order.updated_at);
  };

  /** A mail that failed is due again (the worker sends it); any other answers as it is. */
  const requeueIfFailed = (record: NotificationRecord): NotificationRecord => {
    if (record.status !== 'failed') return record;
    const requeued = store.requeue(record.id, now().toISOString());
    if (!requeued) return record; // nothing to send again (no message stored)
    deps.recordOutcome(record.type, 'queued');
    logger.info(
      { notification_id: record.id, type: record.type, last_error: record.last_error },
      'failed notification queued again',
    );
    return requeued;
  };

  return {
    /**
     * Sends a mail at most once per (type, user, order). The unique index decides between
     * concurrent calls; every later call gets the first call's notification and its current
     * status - except that a `failed` one is queued again, so a caller's retry is never answered
     * with a mail that will not arrive.
     */
    async notify(input: NotifyBody): Promise<NotificationRecord> {
      const orderId = input.order_id ?? null;
      const existing = store.findByKey(input.type, input.user_id, orderId);
      if (existing) return requeueIfFailed(existing);

      const { user, preferences } = await fetchUser(deps.users, input.user_id, logger);
      const order = orderId ? await fetchOrder(deps.orders, orderId, input.user_id, logger) : undefined;
      if (order && input.type !== 'welcome') {
        const needs = MAIL_NEEDS[input.type];
        if (!needs.states.includes(order.status)) {
          throw conflict(
            `The order is ${order.status}, not ${needs.states.join(' or ')}: there is no ${input.type} mail to send.`,
            needs.code,
          );
        }
      }

      const id = randomUUID();
      const createdAt = now();
      const base = {
        id,
        type: input.type,
        user_id: user.id,
        order_id: orderId,
        recipient: user.email,
        created_at: createdAt.toISOString(),
      };
      const kind = KIND_OF[input.type];
      let row: NewNotification;
      if (!preferences[kind].email) {
        row = { ...base, initial: { status: 'skipped', reason: `The user turned off ${kind} emails.` } };
      } else {
        const mime = await composeMime(
          {
            notificationId: id,
            from: deps.mailer.sender,
            to: { name: user.username, address: user.email },
            date: createdAt,
          },
          render(input.type, user, order),
        );
        const lease_until = addMs(createdAt, leaseMs(deps.inlineTimeoutMs));
        row = { ...base, initial: { status: 'sending', mime, lease_until } };
      }

      const { inserted, record } = store.insertOnce(row);
      if (!inserted) return requeueIfFailed(record); // a concurrent call won the unique index
      if (record.status === 'skipped') {
        deps.recordOutcome(record.type, 'skipped');
        logger.info(
          { notification_id: id, type: record.type, kind },
          'notification skipped: muted by the user',
        );
        return record;
      }
      return deps.delivery.attempt(record, deps.inlineTimeoutMs);
    },

    /**
     * The operator's re-send of a mail that was given up (or refused): queued again, once. A mail
     * already on its way answers as it is; a sent or skipped one is a 409 (it is never sent twice).
     */
    resend(id: string): NotificationRecord {
      const record = store.get(id);
      if (!record) throw notFound('No notification with this id.', 'notification_not_found');
      if (record.status === 'sent')
        throw conflict('This mail was sent; it is not sent twice.', 'notification_sent');
      if (record.status === 'skipped') {
        throw conflict('The user turned this kind of mail off; nothing is sent.', 'notification_skipped');
      }
      return requeueIfFailed(record);
    },

    /** The user's own notifications, newest first; naming another user's `user_id` is a 403. */
    list(userId: string, filter: ListFilter): NotificationRecord[] {
      if (filter.user_id !== undefined && filter.user_id !== userId) {
        throw forbidden('You may only list your own notifications.');
      }
      return store.list({ ...filter, user_id: userId });
    },

    /** One of the user's notifications. Another user's is "not found": its existence is not theirs to know. */
    get(userId: string, id: string): NotificationRecord {
      const record = store.get(id);
      if (!record || record.user_id !== userId) {
        throw notFound('No notification with this id.', 'notification_not_found');
      }
      return record;
    },
  };
}
