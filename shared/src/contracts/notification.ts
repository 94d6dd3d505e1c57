import { z } from 'zod';
import { Id, Timestamp } from './common.ts';

export const NOTIFICATION_TYPES = ['order_paid', 'welcome'] as const;
export const NotificationType = z.enum(NOTIFICATION_TYPES);
export const NotificationStatus = z.enum(['sent', 'queued', 'skipped', 'failed']);

/** Seed 002's body; `type` defaults to order_paid when an order is named, and needs one. */
export const NotifyBody = z
  .strictObject({ user_id: Id, order_id: Id.optional(), type: NotificationType.optional() })
  .transform((b) => ({ ...b, type: b.type ?? (b.order_id ? 'order_paid' : 'welcome') }))
  .refine((b) => b.type !== 'order_paid' || b.order_id, {
    message: 'Required for order_paid',
    path: ['order_id'],
  });

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
  created_at: Timestamp,
  sent_at: Timestamp.nullable(),
});

export const ListNotificationsQuery = z.strictObject({
  user_id: Id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
