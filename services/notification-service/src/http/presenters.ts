import type { Notification, NotificationStatus, NotifyResult } from '@shop/shared/contracts';
import type { NotificationRecord, StoredStatus } from '../data/notificationStore.ts';

/** `sending` is an internal state: to callers the mail is still on its way, i.e. queued. */
export const publicStatus = (status: StoredStatus): NotificationStatus =>
  status === 'sending' ? 'queued' : status;

/** The answer to POST /api/notify. */
export const notifyResultOf = (record: NotificationRecord): NotifyResult => ({
  notification_id: record.id,
  status: publicStatus(record.status),
});

/** A notification as the contract shows it (no recipient, MIME or lease; `sending` shown as queued). */
export const notificationView = (record: NotificationRecord): Notification => ({
  id: record.id,
  user_id: record.user_id,
  order_id: record.order_id,
  reference: record.reference,
  type: record.type,
  status: publicStatus(record.status),
  attempts: record.attempts,
  last_error: record.last_error,
  next_attempt_at:
    record.status === 'queued' || record.status === 'sending'
      ? (record.next_attempt_at ?? record.lease_until)
      : null,
  created_at: record.created_at,
  sent_at: record.sent_at,
});
