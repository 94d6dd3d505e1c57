import type { NotificationType } from '@shop/shared/contracts';

/**
 * Stored states. `sending` means a Gmail call was (or may have been) started under a lease: if the
 * lease runs out (a crash mid-send), nobody knows whether Gmail took the mail, so it is checked
 * there by Message-ID before any re-send. The API shows `sending` as `queued`.
 */
export type StoredStatus = 'sending' | 'queued' | 'sent' | 'skipped' | 'failed';

export interface NotificationRecord {
  id: string;
  type: NotificationType;
  userId: string;
  orderId: string | null;
  status: StoredStatus;
  recipient: string;
  /** The exact MIME message, so every try sends the same bytes (and the same Message-ID). */
  mime: Buffer | null;
  attempts: number;
  lastError: string | null;
  /** Set when an earlier try may have reached Gmail: look for the Message-ID before sending again. */
  verifyBeforeSend: boolean;
  nextAttemptAt: string | null;
  leaseUntil: string | null;
  gmailMessageId: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface NewNotification {
  id: string;
  type: NotificationType;
  userId: string;
  orderId: string | null;
  recipient: string;
  now: string;
  /** `sending` (claimed for the first try, until leaseUntil) or `skipped` (muted by the user). */
  initial: { status: 'sending'; mime: Buffer; leaseUntil: string } | { status: 'skipped'; reason: string };
}

export interface ListFilter {
  userId?: string;
  orderId?: string;
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
    change: { error: string; nextAttemptAt: string; verify: boolean; now: string },
  ): void;
  markFailed(id: string, error: string, now: string): void;
  ping(): void;
  close(): void;
}
