import type { NotificationType } from '@shop/shared/contracts';

/**
 * Stored states. `sending` means a Gmail call was (or may have been) started under a lease: if the
 * lease runs out (a crash mid-send), nobody knows whether Gmail took the mail, so it is checked
 * there by Message-ID before any re-send. The API shows `sending` as `queued`.
 */
export type StoredStatus = 'sending' | 'queued' | 'sent' | 'skipped' | 'failed';

/** One row of the `notifications` table, under its column names. */
export interface NotificationRecord {
  id: string;
  type: NotificationType;
  user_id: string;
  order_id: string | null;
  status: StoredStatus;
  recipient: string;
  /** The exact MIME message, so every try sends the same bytes (and the same Message-ID). */
  mime: Buffer | null;
  attempts: number;
  last_error: string | null;
  /** Set when an earlier try may have reached Gmail: look for the Message-ID before sending again. */
  verify_before_send: boolean;
  next_attempt_at: string | null;
  lease_until: string | null;
  gmail_message_id: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface NewNotification {
  id: string;
  type: NotificationType;
  user_id: string;
  order_id: string | null;
  recipient: string;
  created_at: string;
  /** `sending` (claimed for the first try, until lease_until) or `skipped` (muted by the user). */
  initial: { status: 'sending'; mime: Buffer; lease_until: string } | { status: 'skipped'; reason: string };
}

export interface ListFilter {
  user_id?: string;
  order_id?: string;
  type?: NotificationType;
  limit: number;
}

export interface NotificationStore {
  /** Inserts unless (type, user, order) already exists; then answers the row that was there first. */
  insertOnce(row: NewNotification): { inserted: boolean; record: NotificationRecord };
  findByKey(type: NotificationType, userId: string, orderId: string | null): NotificationRecord | undefined;
  get(id: string): NotificationRecord | undefined;
  /** Newest first. */
  list(filter: ListFilter): NotificationRecord[];
  /**
   * Claims up to `limit` rows to try now: queued rows whose time has come and `sending` rows whose
   * lease ran out. Each becomes `sending` until `leaseUntil`, with one more attempt counted.
   */
  claimDue(now: string, leaseUntil: string, limit: number): NotificationRecord[];
  /** The transitions below apply only to a row this process holds in `sending`. */
  markSent(id: string, gmailMessageId: string | null, now: string): void;
  markQueued(
    id: string,
    change: { last_error: string; next_attempt_at: string; verify_before_send: boolean; now: string },
  ): void;
  markFailed(id: string, error: string, now: string): void;
  ping(): void;
  close(): void;
}
