import type { Notification, NotificationStatus, NotifyResult } from '@shop/shared/contracts';
import type { NotificationRecord, StoredStatus } from '../data/notificationStore.ts';

/** `sending` is an internal state: to callers the mail is still on its way, i.e. queued. */
export const publicStatus = (status: StoredStatus): NotificationStatus =>
  status === 'sending' ? 'queued' : status;

export const notifyResultOf = (record: NotificationRecord): NotifyResult => ({
  notification_id: record.id,
  status: publicStatus(record.status),
});

export const notificationView = (record: NotificationRecord): Notification => ({
  id: record.id,
  user_id: record.userId,
  order_id: record.orderId,
  type: record.type,
  status: publicStatus(record.status),
  attempts: record.attempts,
  last_error: record.lastError,
  next_attempt_at:
    record.status === 'queued' || record.status === 'sending'
      ? (record.nextAttemptAt ?? record.leaseUntil)
      : null,
  created_at: record.createdAt,
  sent_at: record.sentAt,
});
