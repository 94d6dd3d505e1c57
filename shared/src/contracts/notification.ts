import { z } from 'zod';
import { Id, Timestamp } from './common.ts';

export const NOTIFICATION_TYPES = ['order_paid', 'welcome'] as const;
export const NotificationType = z.enum(NOTIFICATION_TYPES);
export type NotificationType = z.infer<typeof NotificationType>;
export const NotificationStatus = z.enum(['sent', 'queued', 'skipped', 'failed']);
export type NotificationStatus = z.infer<typeof NotificationStatus>;

/**
 * Seed 002's body; `type` defaults to order_paid when an order is named, and needs one. A welcome
 * mail names no order: one would make a new (type, user, order) key, i.e. a second welcome mail.
 */
export const NotifyBody = z
  .strictObject({ user_id: Id, order_id: Id.optional(), type: NotificationType.optional() })
  .transform((b) => ({ ...b, type: b.type ?? (b.order_id ? 'order_paid' : 'welcome') }))
  .refine((b) => b.type !== 'order_paid' || b.order_id, {
    message: 'Required for order_paid',
    path: ['order_id'],
  })
  .refine((b) => b.type !== 'welcome' || !b.order_id, {
    message: 'Not allowed for welcome',
    path: ['order_id'],
  });
export type NotifyBody = z.infer<typeof NotifyBody>;

export const NotifyResult = z.object({ notification_id: Id, status: NotificationStatus });
export type NotifyResult = z.infer<typeof NotifyResult>;

export const Notification = z.object({
  id: Id,
  user_id: Id,
  order_id: Id.nullable(),
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
