import { randomUUID } from 'node:crypto';
import { conflict, forbidden, notFound, type Logger } from '@shop/shared';
import {
  isSecurityType,
  NOTIFICATION_REQUESTERS,
  type NotificationKind,
  type NotificationType,
  type NotifyBody,
  type Order,
  type Preferences,
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
import { MAIL_KINDS } from './mailKinds.ts';
import type { Mailer } from './mailer.ts';
import { mailboxOf, nextSlot } from './recipientCap.ts';
import { renderMail } from './templates.ts';
import { securityMail } from './accountTemplates.ts';

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
  /** How often a held mail's user is asked again whether the address is verified (safety net). */
  heldRecheckMs: number;
  /** A held mail gives up this long after it was asked for, like any other mail. */
  giveUpAfterMs: number;
  recordOutcome: DeliveryDeps['recordOutcome'];
  /** Counts a mail held back by the recipient cap: deferred, or skipped. */
  recordCapped: (type: NotificationType, outcome: 'deferred' | 'skipped') => void;
}

export type Notifier = ReturnType<typeof createNotifier>;

export function createNotifier(deps: NotifierDeps) {
  const { store, logger, now } = deps;

  /** The preference that mutes this type of mail for this user now, if one does. */
  const mutedBy = (type: NotificationType, preferences: Preferences): NotificationKind | undefined => {
    const preference = MAIL_KINDS[type].preference;
    return preference !== null && !preferences[preference].email ? preference : undefined;
  };
  const mutedReason = (preference: NotificationKind) => `The user turned off ${preference} emails.`;

  /** A mail carrying user text, written for the user's own (verified) address. */
  const userMail = (id: string, type: NotificationType, user: User, order: Order | undefined, date: Date) =>
    composeMime(
      {
        notificationId: id,
        from: deps.mailer.sender,
        to: { name: user.username, address: user.email },
        date,
      },
      renderMail(type, user, order),
    );

  /**
   * What a new mail's row starts as: skipped when muted, held while user text waits for a verified
   * address, else checked against the recipient mailbox's hourly cap. Over it, a mail that must not
   * be lost is deferred to the slot the cap allows and any other is skipped (`capped` says which);
   * under it, it goes to Gmail now.
   */
  const initialState = (
    type: NotificationType,
    mailbox: string,
    createdAt: Date,
    start: { muted: NotificationKind } | { held: true } | { mime: Buffer },
  ): { initial: NewNotification['initial']; capped?: 'deferred' | 'skipped' } => {
    if ('muted' in start) return { initial: { status: 'skipped', reason: mutedReason(start.muted) } };
    if ('held' in start) {
      const next_attempt_at = addMs(createdAt, deps.heldRecheckMs);
      return {
        initial: { status: 'held', reason: 'Held until the user verifies their address.', next_attempt_at },
      };
    }
    const { mime } = start;
    const cap = deps.recipientHourlyCap;
    const slot = nextSlot(store.latestSlots(mailbox, cap), cap, createdAt);
    if (slot <= createdAt) {
      const lease_until = addMs(createdAt, leaseMs(deps.inlineTimeoutMs));
      return { initial: { status: 'sending', mime, lease_until } };
    }
    if (MAIL_KINDS[type].overCap === 'defer') {
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

  /**
   * Sends the user's held mails if their address is verified now, each written for that address
   * (the current one: it may have changed since); one whose kind the user muted meanwhile is
   * skipped. A mail whose order cannot be read stays held for the worker's next look. Answers how
   * many were released.
   */
  async function releaseHeld(userId: string): Promise<number> {
    const held = store.heldFor(userId);
    if (held.length === 0) return 0;
    const { user, preferences } = await fetchUser(deps.users, userId, logger);
    if (!user.email_verified) return 0;
    let released = 0;
    for (const record of held) {
      // Preferences as they are now: the user may have muted this kind while it was held.
      const muted = mutedBy(record.type, preferences);
      if (muted) {
        store.endHeld(record.id, 'skipped', mutedReason(muted), now().toISOString());
        deps.recordOutcome(record.type, 'skipped');
        continue;
      }
      try {
        const order = record.order_id
          ? await fetchOrder(deps.orders, record.order_id, userId, logger)
          : undefined;
        const at = now();
        const mime = await userMail(record.id, record.type, user, order, at);
        const change = {
          recipient: user.email,
          mailbox: mailboxOf(user.email),
          mime,
          lease_until: addMs(at, leaseMs(deps.inlineTimeoutMs)),
          now: at.toISOString(),
        };
        if (!store.release(record.id, change)) continue; // released by a concurrent call
        released += 1;
        // Read right after the release with no await between: the row is there, in `sending`.
        await deps.delivery.attempt(store.get(record.id)!, deps.inlineTimeoutMs);
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
        store.endHeld(record.id, 'failed', 'gave up: the address was not verified in time', at.toISOString());
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
    async notify(input: NotifyBody, requester: string): Promise<NotificationRecord> {
      if (NOTIFICATION_REQUESTERS[input.type] !== requester) {
        throw forbidden(`Only the ${NOTIFICATION_REQUESTERS[input.type]} asks for ${input.type} mails.`);
      }
      const orderId = input.order_id ?? null;
      const reference = input.reference ?? null;
      const existing = store.findByKey(input.type, input.user_id, orderId ?? reference);
      if (existing) return requeueIfFailed(existing);

      const kind = MAIL_KINDS[input.type];
      const { user, preferences } = await fetchUser(deps.users, input.user_id, logger);
      // Only the order-service may send the order (order_created is its type alone, checked above),
      // and it owns the order: reading it back would carry nothing new.
      const order = orderId
        ? (input.order ?? (await fetchOrder(deps.orders, orderId, input.user_id, logger)))
        : undefined;
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
        reference,
        recipient: input.address ?? user.email,
        mailbox: mailboxOf(input.address ?? user.email),
        created_at: createdAt.toISOString(),
      };
      const muted = mutedBy(input.type, preferences);
      let start: Parameters<typeof initialState>[3];
      if (muted) start = { muted };
      else if (isSecurityType(input.type)) {
        // A security mail names nobody in its header: the username is text the registrant chose.
        const to = { name: '', address: base.recipient };
        const date = createdAt;
        start = {
          mime: await composeMime(
            { notificationId: id, from: deps.mailer.sender, to, date },
            securityMail(input.type, input.action),
          ),
        };
      } else if (!user.email_verified) {
        start = { held: true }; // user text (a username, a product name) never reaches an unverified address
      } else start = { mime: await userMail(id, input.type, user, order, createdAt) };

      // From here to the insert nothing awaits: the cap's read and the row written are one step.
      const { initial, capped } = initialState(input.type, base.mailbox, createdAt, start);
      const { inserted, record } = store.insertOnce({ ...base, initial });
      if (!inserted) return requeueIfFailed(record); // a concurrent call won the unique index
      if (record.status === 'held') {
        deps.recordOutcome(record.type, 'held');
        logger.info(
          { notification_id: id, type: record.type },
          'notification held: the address is not verified',
        );
        return record;
      }
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
