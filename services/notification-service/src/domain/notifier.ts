import { randomUUID } from 'node:crypto';
import { conflict, forbidden, notFound, type Logger, type Principal } from '@shop/shared';
import {
  isSecurityType,
  type NotificationKind,
  type NotificationType,
  type NotifyBody,
  type Order,
  type User,
} from '@shop/shared/contracts';
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
import { securityMail } from './accountTemplates.ts';

/** Which preference mutes which notification (security mails: none, they are always sent). */
const KIND_OF: Partial<Record<NotificationType, NotificationKind>> = {
  order_paid: 'order_updates',
  order_refunded: 'order_updates',
  welcome: 'welcome',
};

/**
 * The order states a mail about the order may be sent in. A refund mail also goes out for an order
 * that stays Cancelled: it was cancelled during its charge and the charge was refunded automatically.
 */
const MAIL_NEEDS: Partial<Record<NotificationType, { states: Order['status'][]; code: string }>> = {
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
  /** How often a held mail's user is asked again whether the address is verified (safety net). */
  heldRecheckMs: number;
  /** A held mail gives up this long after it was asked for, like any other mail. */
  giveUpAfterMs: number;
  recordOutcome: DeliveryDeps['recordOutcome'];
}

export type Notifier = ReturnType<typeof createNotifier>;

export function createNotifier(deps: NotifierDeps) {
  const { store, logger, now } = deps;

  const render = (type: NotificationType, user: User, order: Order | undefined): MailContent => {
    if (isSecurityType(type)) throw new Error(`${type} is rendered with its action`);
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

  /**
   * Sends the user's held mails if their address is verified now, each written for that address
   * (the current one: it may have changed since). A mail whose order cannot be read stays held for
   * the worker's next look. Answers how many were released.
   */
  async function releaseHeld(userId: string): Promise<number> {
    const held = store.heldFor(userId);
    if (held.length === 0) return 0;
    const { user } = await fetchUser(deps.users, userId, logger);
    if (!user.email_verified) return 0;
    let released = 0;
    for (const record of held) {
      try {
        const order = record.order_id
          ? await fetchOrder(deps.orders, record.order_id, userId, logger)
          : undefined;
        const at = now();
        const mime = await composeMime(
          {
            notificationId: record.id,
            from: deps.mailer.sender,
            to: { name: user.username, address: user.email },
            date: at,
          },
          render(record.type, user, order),
        );
        const change = {
          recipient: user.email,
          mime,
          lease_until: addMs(at, leaseMs(deps.inlineTimeoutMs)),
          now: at.toISOString(),
        };
        if (!store.release(record.id, change)) continue; // released by a concurrent call
        released += 1;
        const sending = store.get(record.id);
        if (sending) await deps.delivery.attempt(sending, deps.inlineTimeoutMs);
      } catch (error) {
        logger.warn({ err: error, notification_id: record.id }, 'held notification not released yet');
      }
    }
    logger.info({ user_id: userId, released }, 'held notifications released');
    return released;
  }

  /**
   * The worker's safety net, in case the user-service's call after a verification was lost: held
   * mails due for a look are released if their user is verified now, given up when too old, and
   * otherwise looked at again later. Answers how many were looked at.
   */
  async function recheckHeld(limit = 20): Promise<number> {
    const at = now();
    const due = store.heldDue(at.toISOString(), limit);
    const users = new Set<string>();
    for (const record of due) {
      if (at.getTime() - new Date(record.created_at).getTime() >= deps.giveUpAfterMs) {
        store.failHeld(record.id, 'gave up: the address was not verified in time', at.toISOString());
        deps.recordOutcome(record.type, 'gave_up');
        logger.warn({ notification_id: record.id, type: record.type }, 'held notification given up');
      } else users.add(record.user_id);
    }
    for (const userId of users) {
      await releaseHeld(userId).catch((error: unknown) =>
        logger.warn({ err: error, user_id: userId }, 'held notifications not checked'),
      );
    }
    const next = addMs(now(), deps.heldRecheckMs);
    for (const record of due) store.postponeHeld(record.id, next, now().toISOString());
    return due.length;
  }

  return {
    /**
     * Sends a mail at most once per (type, user, order). The unique index decides between
     * concurrent calls; every later call gets the first call's notification and its current
     * status - except that a `failed` one is queued again, so a caller's retry is never answered
     * with a mail that will not arrive.
     */
    async notify(input: NotifyBody, caller: Principal): Promise<NotificationRecord> {
      if (isSecurityType(input.type) && !(caller.kind === 'service' && caller.service === 'user-service')) {
        throw forbidden(`Only the user-service may ask for ${input.type} mails.`);
      }
      const orderId = input.order_id ?? null;
      const reference = input.reference ?? null;
      const existing = store.findByKey(input.type, input.user_id, orderId ?? reference);
      if (existing) return requeueIfFailed(existing);

      const { user, preferences } = await fetchUser(deps.users, input.user_id, logger);
      const order = orderId ? await fetchOrder(deps.orders, orderId, input.user_id, logger) : undefined;
      const needs = MAIL_NEEDS[input.type];
      if (order && needs) {
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
        reference,
        recipient: input.address ?? user.email,
        created_at: createdAt.toISOString(),
      };
      const kind = KIND_OF[input.type];
      const security = isSecurityType(input.type);
      let row: NewNotification;
      if (kind && !preferences[kind].email) {
        row = { ...base, initial: { status: 'skipped', reason: `The user turned off ${kind} emails.` } };
      } else if (!security && !user.email_verified) {
        row = {
          ...base,
          initial: {
            status: 'held',
            reason: 'Held until the user verifies their address.',
            next_attempt_at: addMs(createdAt, deps.heldRecheckMs),
          },
        };
      } else {
        // A security mail names nobody in its header: the username is text the registrant chose.
        const mime = await composeMime(
          {
            notificationId: id,
            from: deps.mailer.sender,
            to: security
              ? { name: '', address: base.recipient }
              : { name: user.username, address: user.email },
            date: createdAt,
          },
          isSecurityType(input.type)
            ? securityMail(input.type, input.action)
            : render(input.type, user, order),
        );
        const lease_until = addMs(createdAt, leaseMs(deps.inlineTimeoutMs));
        row = { ...base, initial: { status: 'sending', mime, lease_until } };
      }

      const { inserted, record } = store.insertOnce(row);
      if (!inserted) return requeueIfFailed(record); // a concurrent call won the unique index
      if (record.status === 'held') {
        deps.recordOutcome(record.type, 'held');
        logger.info(
          { notification_id: id, type: record.type },
          'notification held: the address is not verified',
        );
        return record;
      }
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

    releaseHeld,
    recheckHeld,

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
