import { z } from 'zod';
import { Id, IdParams, Timestamp } from './common.ts';
import { defineApi, endpoint, type ServiceName } from './endpoint.ts';
import { Order } from './order.ts';

export const NOTIFICATION_TYPES = [
  'order_created',
  'order_paid',
  'order_refunded',
  'welcome',
  ...['email_verification', 'password_reset', 'password_changed', 'email_changed'],
] as const;
export const NotificationType = z.enum(NOTIFICATION_TYPES);
export type NotificationType = z.infer<typeof NotificationType>;

/**
 * Account security mails: fixed text (no username or other user text), never muted, sent even to
 * an unverified address, and requested only by the user-service. Each names its `reference` (the
 * verification, reset or change it is about), so every request gets its own mail.
 */
export const SECURITY_TYPES = [
  'email_verification',
  'password_reset',
  'password_changed',
  'email_changed',
] as const;
export type SecurityType = (typeof SECURITY_TYPES)[number];
export const isSecurityType = (type: NotificationType): type is SecurityType =>
  (SECURITY_TYPES as readonly string[]).includes(type);

/** `held`: waiting for its user to verify the address (user text never reaches an unverified one). */
export const NotificationStatus = z.enum(['sent', 'queued', 'held', 'skipped', 'failed']);
export type NotificationStatus = z.infer<typeof NotificationStatus>;

/** What the reader of a verification or reset mail acts on. Never logged, erased once the mail is done. */
export const MailAction = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(500),
  code: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});

/**
 * The one service that may ask for each type (403 for any other): a caller can only make the shop
 * send the mails its own events call for.
 */
export const NOTIFICATION_REQUESTERS = {
  order_created: 'order-service',
  order_paid: 'payment-service',
  order_refunded: 'payment-service',
  welcome: 'user-service',
  email_verification: 'user-service',
  password_reset: 'user-service',
  password_changed: 'user-service',
  email_changed: 'user-service',
} as const satisfies Record<NotificationType, ServiceName>;

/** The types about an order: they need its `order_id`; every other type must not name one. */
const ORDER_MAILS: readonly NotificationType[] = ['order_created', 'order_paid', 'order_refunded'];
export const isOrderMail = (type: NotificationType) => ORDER_MAILS.includes(type);

/**
 * The original API's body; `type` defaults to order_paid when an order is named, else welcome. A
 * mail about no order names none: one would make a new (type, user, order) key, i.e. a second mail.
 * Security mails name a `reference` instead (the at-most-once key is (type, user, order_id or
 * reference)); verification and reset mails carry an `action`; `address` sends a security mail
 * elsewhere than the user's current address (a new address to verify, the old one told of a change).
 * An order_created request may carry the `order` itself: its only requester, the order-service,
 * owns the order, so the notification-service writes the mail from it instead of reading it back.
 */
export const NotifyBody = z
  .strictObject({
    user_id: Id,
    order_id: Id.optional(),
    type: NotificationType.optional(),
    reference: Id.optional(),
    action: MailAction.optional(),
    address: z.email().max(254).optional(),
    order: Order.optional(),
  })
  .transform((b) => ({ ...b, type: b.type ?? (b.order_id ? 'order_paid' : 'welcome') }))
  .superRefine((b, ctx) => {
    if (isOrderMail(b.type) === Boolean(b.order_id)) return;
    const message = b.order_id ? `Not allowed for ${b.type}` : `Required for ${b.type}`;
    ctx.addIssue({ code: 'custom', message, path: ['order_id'] });
  })
  .refine((b) => isSecurityType(b.type) === (b.reference !== undefined), {
    message: `Required for ${SECURITY_TYPES.join(', ')} and not allowed otherwise`,
    path: ['reference'],
  })
  .refine(
    (b) => (b.type === 'email_verification' || b.type === 'password_reset') === (b.action !== undefined),
    {
      message: 'Required for email_verification and password_reset and not allowed otherwise',
      path: ['action'],
    },
  )
  .refine((b) => isSecurityType(b.type) || b.address === undefined, {
    message: 'Only allowed for security mails',
    path: ['address'],
  })
  .refine((b) => b.order === undefined || b.type === 'order_created', {
    message: 'Only allowed for order_created',
    path: ['order'],
  })
  .refine((b) => b.order === undefined || (b.order.id === b.order_id && b.order.user_id === b.user_id), {
    message: 'Must be the order named by order_id, of user_id',
    path: ['order'],
  });
export type NotifyBody = z.infer<typeof NotifyBody>;

export const NotifyResult = z.object({ notification_id: Id, status: NotificationStatus });
export type NotifyResult = z.infer<typeof NotifyResult>;

export const Notification = z.object({
  id: Id,
  user_id: Id,
  order_id: Id.nullable(),
  /** The verification, reset or change a security mail is about (null for other mails). */
  reference: Id.nullable(),
  type: NotificationType,
  status: NotificationStatus,
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  /** When a queued mail is tried next; null once it is sent, skipped or failed. */
  next_attempt_at: Timestamp.nullable(),
  created_at: Timestamp,
  sent_at: Timestamp.nullable(),
});
export type Notification = z.infer<typeof Notification>;

export const ListNotificationsQuery = z.strictObject({
  user_id: Id.optional(),
  order_id: Id.optional(),
  type: NotificationType.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** Newest first. */
export const NotificationList = z.object({ data: z.array(Notification) });

export const AddressVerifiedBody = z.strictObject({ user_id: Id });
export const ReleasedMails = z.object({ released: z.number().int() });

/** The notification-service's endpoints. */
export const notificationApi = defineApi({
  service: 'notification-service',
  description:
    'Emails users through the Gmail API: order confirmations, receipts, refund notices and welcome mails, each at most once.',
  endpoints: {
    notify: endpoint({
      operationId: 'notify',
      tag: 'notifications',
      method: 'post',
      path: '/api/notify',
      summary: 'Send a notification mail (the order-, payment- and user-service, each its own types)',
      description:
        'At most one mail per (type, user, order or reference): a repeated call answers the first result, so retries are safe. Each type has one requesting service (403 for another); security mails (`email_verification`, `password_reset`, `password_changed`, `email_changed`) come only from the user-service. A muted kind is recorded as `skipped`. A mail carrying user text (welcome, order mails) to an address its owner has not verified is `held` until they do. `sent` only when Gmail accepted the mail; otherwise `queued` and retried, or deferred while its recipient mailbox is over its hourly cap (a welcome mail over the cap is `skipped`).',
      access: { services: ['order-service', 'payment-service', 'user-service'] },
      idempotent: true,
      body: NotifyBody,
      responses: {
        200: {
          description: '`sent`, `skipped`, `held` (or the first result of a repeated call).',
          schema: NotifyResult,
        },
        202: {
          description: '`queued`: Gmail failed; the worker retries with backoff.',
          schema: NotifyResult,
        },
        403: {
          description: 'A user token, or a service asking for a type it does not request.',
          codes: ['forbidden'],
        },
        404: {
          description: 'No such user, or no such order of theirs.',
          codes: ['user_not_found', 'order_not_found'],
        },
        409: {
          description:
            'A receipt for an order that is not Paid, or a refund mail for one that is neither Refunded nor Cancelled (refunded automatically).',
          codes: ['order_not_paid', 'order_not_refunded'],
        },
        502: {
          description: 'A neighbour answered unexpectedly; nothing was recorded.',
          codes: ['upstream_error'],
        },
        503: {
          description: 'The user- or order-service is unreachable; nothing was recorded.',
          codes: ['user_service_unavailable', 'order_service_unavailable'],
        },
      },
    }),
    addressVerified: endpoint({
      operationId: 'addressVerified',
      tag: 'notifications',
      method: 'post',
      path: '/api/notify/address-verified',
      summary: 'A user verified their address: send their held mails (the user-service)',
      description:
        'Best effort from the user-service; the delivery worker also re-checks held mails now and then, and a held mail gives up by age like any other.',
      access: { services: ['user-service'] },
      idempotent: true,
      body: AddressVerifiedBody,
      responses: {
        200: { description: 'How many held mails were released.', schema: ReleasedMails },
        503: {
          description: 'The user-service is unreachable; nothing changed.',
          codes: ['user_service_unavailable'],
        },
      },
    }),
    resendNotification: endpoint({
      operationId: 'resendNotification',
      tag: 'notifications',
      method: 'post',
      path: '/api/notifications/:id/resend',
      summary: 'Queue a failed mail again (operators)',
      description:
        "For operators, after fixing what made a mail fail (it gave up after NOTIFICATION_GIVE_UP_AFTER_HOURS, or Gmail refused it): the mail is queued again and the worker sends it. Only the notification-service's own service token is accepted: no other service sends mail, and whoever holds that token can send mail already. A mail still on its way answers as it is; a sent or skipped one is a 409, as no mail is ever sent twice.",
      access: { services: ['notification-service'] },
      idempotent: true,
      params: IdParams,
      responses: {
        202: { description: 'Queued (again, or still): the worker sends it.', schema: Notification },
        404: { description: 'No such notification.', codes: ['notification_not_found'] },
        409: {
          description: 'The mail was sent, or skipped because the user muted it.',
          codes: ['notification_sent', 'notification_skipped'],
        },
      },
    }),
    listNotifications: endpoint({
      operationId: 'listNotifications',
      tag: 'notifications',
      method: 'get',
      path: '/api/notifications',
      summary: "The caller's notifications, newest first",
      description:
        "Only the calling user's own: `order_id`, `type` and `limit` narrow the list; `user_id` may be given, but only as the caller's own id.",
      access: { user: true },
      query: ListNotificationsQuery,
      responses: {
        200: { description: 'The notifications.', schema: NotificationList },
        403: {
          description:
            "A service token (only a user may call this), or a user asked for another user's notifications.",
          codes: ['forbidden'],
        },
      },
    }),
    getNotification: endpoint({
      operationId: 'getNotification',
      tag: 'notifications',
      method: 'get',
      path: '/api/notifications/:id',
      summary: 'One notification (its user)',
      access: { user: true },
      params: IdParams,
      responses: {
        200: { description: 'The notification.', schema: Notification },
        404: {
          description: 'No such notification, or one of another user.',
          codes: ['notification_not_found'],
        },
      },
    }),
  },
});
