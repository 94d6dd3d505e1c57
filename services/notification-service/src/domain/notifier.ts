import { randomUUID } from 'node:crypto';
import { conflict, forbidden, notFound, type Logger } from '@shop/shared';
import { NOTIFICATION_REQUESTERS, type NotificationType, type NotifyBody } from '@shop/shared/contracts';
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
import { MAIL_KINDS } from './mailKinds.ts';
import type { Mailer } from './mailer.ts';
import { mailboxOf, nextSlot } from './recipientCap.ts';
import { renderMail } from './templates.ts';

/** The start of `last_error` of a mail skipped because its recipient was over the hourly cap. */
export const RECIPIENT_CAP_REASON = 'recipient_cap';

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
  /** Mails per recipient mailbox per hour; 0 = no cap. */
  recipientHourlyCap: number;
  recordOutcome: DeliveryDeps['recordOutcome'];
  /** Counts a mail held back by the recipient cap: deferred, or skipped. */
  recordCapped: (type: NotificationType, outcome: 'deferred' | 'skipped') => void;
}

export type Notifier = ReturnType<typeof createNotifier>;

export function createNotifier(deps: NotifierDeps) {
  const { store, logger, now } = deps;

  /**
   * What a new mail's row starts as: skipped when muted (no MIME), else checked against the
   * recipient mailbox's hourly cap. Over it, a mail that must not be lost is deferred to the slot
   * the cap allows and any other is skipped (`capped` says which); under it, it goes to Gmail now.
   */
  const initialState = (
    type: NotificationType,
    mime: Buffer | undefined,
    mailbox: string,
    createdAt: Date,
  ): { initial: NewNotification['initial']; capped?: 'deferred' | 'skipped' } => {
    const kind = MAIL_KINDS[type];
    if (!mime)
      return { initial: { status: 'skipped', reason: `The user turned off ${kind.preference} emails.` } };
    const cap = deps.recipientHourlyCap;
    const slot = nextSlot(store.latestSlots(mailbox, cap), cap, createdAt);
    if (slot <= createdAt) {
      const lease_until = addMs(createdAt, leaseMs(deps.inlineTimeoutMs));
      return { initial: { status: 'sending', mime, lease_until } };
    }
    if (kind.overCap === 'defer') {
      return { initial: { status: 'queued', mime, next_attempt_at: slot.toISOString() }, capped: 'deferred' };
    }
    const reason = `${RECIPIENT_CAP_REASON}: more than ${cap} mails to this address within an hour; not sent.`;
    return { initial: { status: 'skipped', reason }, capped: 'skipped' };
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
    async notify(input: NotifyBody, requester: string): Promise<NotificationRecord> {
      if (NOTIFICATION_REQUESTERS[input.type] !== requester) {
        throw forbidden(`Only the ${NOTIFICATION_REQUESTERS[input.type]} asks for ${input.type} mails.`);
      }
      const orderId = input.order_id ?? null;
      const existing = store.findByKey(input.type, input.user_id, orderId);
      if (existing) return requeueIfFailed(existing);

      const kind = MAIL_KINDS[input.type];
      const { user, preferences } = await fetchUser(deps.users, input.user_id, logger);
      const order = orderId ? await fetchOrder(deps.orders, orderId, input.user_id, logger) : undefined;
      if (order && kind.needs && !kind.needs.states.includes(order.status)) {
        throw conflict(
          `The order is ${order.status}, not ${kind.needs.states.join(' or ')}: there is no ${input.type} mail to send.`,
          kind.needs.code,
        );
      }

      const id = randomUUID();
      const createdAt = now();
      const base = {
        id,
        type: input.type,
        user_id: user.id,
        order_id: orderId,
        recipient: user.email,
        mailbox: mailboxOf(user.email),
        created_at: createdAt.toISOString(),
      };
      const muted = kind.preference !== null && !preferences[kind.preference].email;
      const mime = muted
        ? undefined
        : await composeMime(
            {
              notificationId: id,
              from: deps.mailer.sender,
              to: { name: user.username, address: user.email },
              date: createdAt,
            },
            renderMail(input.type, user, order),
          );

      // From here to the insert nothing awaits: the cap's read and the row written are one step.
      const { initial, capped } = initialState(input.type, mime, base.mailbox, createdAt);
      const { inserted, record } = store.insertOnce({ ...base, initial });
      if (!inserted) return requeueIfFailed(record); // a concurrent call won the unique index
      if (capped) {
        deps.recordCapped(record.type, capped);
        logger.info(
          { notification_id: id, type: record.type, next_attempt_at: record.next_attempt_at },
          `notification ${capped}: its recipient is over the hourly cap`,
        );
      }
      if (record.status === 'skipped') {
        deps.recordOutcome(record.type, 'skipped');
        if (!capped) {
          logger.info({ notification_id: id, type: record.type }, 'notification skipped: muted by the user');
        }
        return record;
      }
      if (record.status === 'queued') return record; // deferred: the worker sends it in its slot
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
        throw conflict(
          'This mail was skipped (muted by the user, or over the recipient cap); nothing is sent.',
          'notification_skipped',
        );
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
