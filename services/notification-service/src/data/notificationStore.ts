import type { NotificationType } from '@shop/shared/contracts';

/**
 * Stored states. `sending` means a Gmail call was (or may have been) started under a lease: if the
 * lease runs out (a crash mid-send), nobody knows whether Gmail took the mail, so its draft is
 * checked there before any re-send. The API shows `sending` as `queued`.
 */
export type StoredStatus = 'sending' | 'queued' | 'held' | 'sent' | 'skipped' | 'failed';

/** One row of the `notifications` table, under its column names. */
export interface NotificationRecord {
  id: string;
  type: NotificationType;
  user_id: string;
  order_id: string | null;
  /** The verification, reset or change a security mail is about; null for other mails. */
  reference: string | null;
  status: StoredStatus;
  recipient: string;
  /**
   * The exact MIME message, so every try sends the same bytes. A held mail has none yet (it is
   * written for the address verified); one carrying a link or code loses it once sent or failed.
   */
  mime: Buffer | null;
  attempts: number;
  last_error: string | null;
  /** Set when an earlier drafts.send may have reached Gmail: check the draft before sending again. */
  verify_before_send: boolean;
  /** The Gmail draft holding this mail, recorded before it is sent; gone at Gmail once sent. */
  gmail_draft_id: string | null;
  /** When the mail last became due (created or re-queued); it gives up by age from here. */
  queued_since: string;
  /** Failed tries while Gmail was unavailable, and while blocked by quota or configuration. */
  unavailable_failures: number;
  blocked_failures: number;
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
  reference: string | null;
  recipient: string;
  /** The recipient's mailbox (see mailboxOf): what the hourly cap counts by. */
  mailbox: string;
  created_at: string;
  /**
   * `sending` (claimed for the first try, until lease_until; it counts against the cap from
   * created_at), `queued` (deferred by the cap: due, and counted, at next_attempt_at), `skipped`
   * (muted by the user, or over the cap; not counted) or `held` (the address is not verified;
   * looked at again from next_attempt_at; counted from its release).
   */
  initial:
    | { status: 'sending'; mime: Buffer; lease_until: string }
    | { status: 'queued'; mime: Buffer; next_attempt_at: string }
    | { status: 'skipped'; reason: string }
    | { status: 'held'; reason: string; next_attempt_at: string };
}

export interface ListFilter {
  user_id?: string;
  order_id?: string;
  type?: NotificationType;
  limit: number;
}

export interface NotificationStore {
  /** Inserts unless (type, user, order or reference) exists; then answers the row that was there first. */
  insertOnce(row: NewNotification): { inserted: boolean; record: NotificationRecord };
  /** `key` is the order id or the reference (null for neither). */
  findByKey(type: NotificationType, userId: string, key: string | null): NotificationRecord | undefined;
  /** The cap slots (ISO times) of the mailbox's latest `limit` mails, newest first. */
  latestSlots(mailbox: string, limit: number): string[];
  /** The user's held mails (all of them, whenever due), oldest first. */
  heldFor(userId: string): NotificationRecord[];
  /** Held mails whose next look is due, oldest first. */
  heldDue(now: string, limit: number): NotificationRecord[];
  /**
   * A held mail, now written for its verified address, becomes `sending` under a lease and takes
   * its cap slot now (false if no longer held).
   */
  release(
    id: string,
    change: { recipient: string; mailbox: string; mime: Buffer; lease_until: string; now: string },
  ): boolean;
  /** A held mail stays held; looked at again from `next_attempt_at`. */
  postponeHeld(id: string, nextAttemptAt: string, now: string): void;
  /**
   * A held mail ends unsent: `failed` when it gives up (by age, like any other), `skipped` when its
   * user muted its kind meanwhile.
   */
  endHeld(id: string, status: 'failed' | 'skipped', error: string, now: string): void;
  get(id: string): NotificationRecord | undefined;
  /** Newest first. */
  list(filter: ListFilter): NotificationRecord[];
  /**
   * Claims up to `limit` rows to try now: queued rows whose time has come and `sending` rows whose
   * lease ran out. Each becomes `sending` until `leaseUntil`, with one more attempt counted.
   */
  claimDue(now: string, leaseUntil: string, limit: number): NotificationRecord[];
  /** The transitions below apply only to a row this process holds in `sending`. */
  /** Keeps the draft id before the draft is sent: from then on a retry checks the draft first. */
  recordDraft(id: string, draftId: string, now: string): void;
  markSent(id: string, gmailMessageId: string | null, now: string): void;
  markQueued(
    id: string,
    change: {
      last_error: string;
      next_attempt_at: string;
      verify_before_send: boolean;
      /** Which count of failed tries grows. */
      schedule: 'unavailable' | 'blocked';
      now: string;
    },
  ): void;
  markFailed(id: string, error: string, now: string): void;
  /** A `failed` row becomes `queued`, due now, its age and failure counts starting afresh. */
  requeue(id: string, now: string): NotificationRecord | undefined;
  ping(): void;
  close(): void;
}
