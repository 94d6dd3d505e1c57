import { openSqlite, pingSqlite } from '@shop/shared';
import { MIGRATIONS } from './migrations.ts';
import type {
  ListFilter,
  NewNotification,
  NotificationRecord,
  NotificationStore,
} from './notificationStore.ts';

/** The row as SQLite gives it: like the record, with verify_before_send as 0 or 1. */
type Row = Omit<NotificationRecord, 'verify_before_send'> & { verify_before_send: number };

const RECORD_COLUMNS = `id, type, user_id, order_id, reference, status, recipient, mime, attempts, last_error,
  verify_before_send, next_attempt_at, lease_until, gmail_message_id, gmail_draft_id, queued_since,
  unavailable_failures, blocked_failures, created_at, sent_at`;

const toRecord = (row: Row): NotificationRecord => ({
  ...row,
  verify_before_send: row.verify_before_send === 1,
});

/**
 * Mails whose body holds a link or code that proves something (verification, reset): once sent or
 * failed, their MIME is erased, so the database never keeps a usable proof (a failed one is not
 * re-sent by an operator: the user asks for a new mail).
 */
const CARRIES_SECRET = ['email_verification', 'password_reset'].map((type) => `'${type}'`).join(', ');

/** Opens (creating or migrating) the notification database; ':memory:' or a file path. */
export function openNotificationStore(path: string): NotificationStore {
  const db = openSqlite(path, MIGRATIONS);

  const insert = db.prepare(`
    INSERT INTO notifications (id, type, user_id, order_id, reference, status, recipient, mime, attempts,
                               last_error, lease_until, next_attempt_at, queued_since, created_at, updated_at,
                               mailbox, cap_slot_at)
    VALUES (@id, @type, @user_id, @order_id, @reference, @status, @recipient, @mime, @attempts,
            @last_error, @lease_until, @next_attempt_at, coalesce(@deferred_until, @created_at), @created_at,
            @created_at, @mailbox, @cap_slot_at)
    ON CONFLICT DO NOTHING`);
  const slots = db.prepare<[string, number], { cap_slot_at: string }>(`
    SELECT cap_slot_at FROM notifications WHERE mailbox = ? AND cap_slot_at IS NOT NULL
    ORDER BY cap_slot_at DESC LIMIT ?`);
  const byKey = db.prepare<[string, string, string], Row>(
    `SELECT ${RECORD_COLUMNS} FROM notifications
     WHERE type = ? AND user_id = ? AND coalesce(order_id, reference, '') = ?`,
  );
  const heldFor = db.prepare<[string], Row>(
    `SELECT ${RECORD_COLUMNS} FROM notifications WHERE user_id = ? AND status = 'held' ORDER BY created_at`,
  );
  const heldDue = db.prepare<{ now: string; limit: number }, Row>(
    `SELECT ${RECORD_COLUMNS} FROM notifications WHERE status = 'held' AND next_attempt_at <= @now
     ORDER BY next_attempt_at LIMIT @limit`,
  );
  const release = db.prepare(`
    UPDATE notifications
    SET status = 'sending', recipient = @recipient, mailbox = @mailbox, cap_slot_at = @now, mime = @mime,
        attempts = attempts + 1,
        lease_until = @lease_until, next_attempt_at = NULL, last_error = NULL, updated_at = @now
    WHERE id = @id AND status = 'held'`);
  const postponeHeld = db.prepare(
    `UPDATE notifications SET next_attempt_at = @next, updated_at = @now WHERE id = @id AND status = 'held'`,
  );
  const endHeld = db.prepare(`
    UPDATE notifications SET status = @status, last_error = @error, next_attempt_at = NULL, updated_at = @now
    WHERE id = @id AND status = 'held'`);
  const byId = db.prepare<[string], Row>(`SELECT ${RECORD_COLUMNS} FROM notifications WHERE id = ?`);
  const list = db.prepare<Record<string, unknown>, Row>(`
    SELECT ${RECORD_COLUMNS} FROM notifications
    WHERE (@user_id IS NULL OR user_id = @user_id)
      AND (@order_id IS NULL OR order_id = @order_id)
      AND (@type IS NULL OR type = @type)
    ORDER BY created_at DESC, rowid DESC
    LIMIT @limit`);
  const due = db.prepare<{ now: string; limit: number }, { id: string }>(`
    SELECT id FROM notifications
    WHERE (status = 'queued' AND next_attempt_at <= @now) OR (status = 'sending' AND lease_until <= @now)
    ORDER BY coalesce(next_attempt_at, lease_until)
    LIMIT @limit`);
  // A row picked up from an expired `sending` lease may have reached Gmail: its draft is checked first.
  const claim = db.prepare<{ id: string; now: string; leaseUntil: string }, Row>(`
    UPDATE notifications
    SET status = 'sending', attempts = attempts + 1, lease_until = @leaseUntil, next_attempt_at = NULL,
        updated_at = @now,
        verify_before_send = CASE WHEN status = 'sending' THEN 1 ELSE verify_before_send END
    WHERE id = @id
      AND ((status = 'queued' AND next_attempt_at <= @now) OR (status = 'sending' AND lease_until <= @now))
    RETURNING ${RECORD_COLUMNS}`);
  const sent = db.prepare(`
    UPDATE notifications
    SET status = 'sent', gmail_message_id = @gmail_message_id, sent_at = @now, updated_at = @now,
        next_attempt_at = NULL, lease_until = NULL, verify_before_send = 0,
        mime = CASE WHEN type IN (${CARRIES_SECRET}) THEN NULL ELSE mime END
    WHERE id = @id AND status = 'sending'`);
  const queued = db.prepare(`
    UPDATE notifications
    SET status = 'queued', last_error = @last_error, next_attempt_at = @next_attempt_at, lease_until = NULL,
        verify_before_send = max(verify_before_send, @verify_before_send), updated_at = @now,
        unavailable_failures = unavailable_failures + (@schedule = 'unavailable'),
        blocked_failures = blocked_failures + (@schedule = 'blocked')
    WHERE id = @id AND status = 'sending'`);
  const draft = db.prepare(`
    UPDATE notifications SET gmail_draft_id = @draft_id, updated_at = @now WHERE id = @id AND status = 'sending'`);
  // The draft id and the verify flag stay: a re-queued mail that may have gone out is checked first.
  const requeue = db.prepare<{ id: string; now: string }, Row>(`
    UPDATE notifications
    SET status = 'queued', next_attempt_at = @now, queued_since = @now, unavailable_failures = 0,
        blocked_failures = 0, updated_at = @now
    WHERE id = @id AND status = 'failed' AND mime IS NOT NULL
    RETURNING ${RECORD_COLUMNS}`);
  const failed = db.prepare(`
    UPDATE notifications
    SET status = 'failed', last_error = @error, next_attempt_at = NULL, lease_until = NULL, updated_at = @now,
        mime = CASE WHEN type IN (${CARRIES_SECRET}) THEN NULL ELSE mime END
    WHERE id = @id AND status = 'sending'`);

  const claimDue = db.transaction((now: string, leaseUntil: string, limit: number) =>
    due
      .all({ now, limit })
      .map(({ id }) => claim.get({ id, now, leaseUntil }))
      .filter((row): row is Row => row !== undefined)
      .map(toRecord),
  );

  // Insert and read back in one transaction: the row answered is the one the unique index kept.
  const insertOnce = db.transaction((row: NewNotification) => {
    const { initial } = row;
    const sending = initial.status === 'sending' ? initial : undefined;
    // A deferred mail's age (for giving up) starts when it becomes due.
    const deferredUntil = initial.status === 'queued' ? initial.next_attempt_at : null;
    const result = insert.run({
      id: row.id,
      type: row.type,
      user_id: row.user_id,
      order_id: row.order_id,
      reference: row.reference,
      status: initial.status,
      recipient: row.recipient,
      mime: initial.status === 'sending' || initial.status === 'queued' ? initial.mime : null,
      attempts: sending ? 1 : 0,
      last_error: initial.status === 'skipped' || initial.status === 'held' ? initial.reason : null,
      lease_until: sending?.lease_until ?? null,
      next_attempt_at:
        initial.status === 'sending' || initial.status === 'skipped' ? null : initial.next_attempt_at,
      created_at: row.created_at,
      mailbox: row.mailbox,
      deferred_until: deferredUntil,
      cap_slot_at:
        initial.status === 'skipped' || initial.status === 'held' ? null : (deferredUntil ?? row.created_at),
    });
    const record = byKey.get(row.type, row.user_id, row.order_id ?? row.reference ?? '');
    if (!record) throw new Error(`notification ${row.id} was neither inserted nor found`);
    return { inserted: result.changes === 1, record: toRecord(record) };
  });

  return {
    insertOnce: (row) => insertOnce(row),
    findByKey(type, userId, key) {
      const row = byKey.get(type, userId, key ?? '');
      return row && toRecord(row);
    },
    latestSlots: (mailbox, limit) => slots.all(mailbox, limit).map((row) => row.cap_slot_at),
    heldFor: (userId) => heldFor.all(userId).map(toRecord),
    heldDue: (now, limit) => heldDue.all({ now, limit }).map(toRecord),
    release(id, change) {
      return release.run({ id, ...change }).changes === 1;
    },
    postponeHeld(id, next, now) {
      postponeHeld.run({ id, next, now });
    },
    endHeld(id, status, error, now) {
      endHeld.run({ id, status, error, now });
    },
    get(id) {
      const row = byId.get(id);
      return row && toRecord(row);
    },
    list(filter: ListFilter) {
      return list
        .all({
          user_id: filter.user_id ?? null,
          order_id: filter.order_id ?? null,
          type: filter.type ?? null,
          limit: filter.limit,
        })
        .map(toRecord);
    },
    claimDue: (now, leaseUntil, limit) => claimDue(now, leaseUntil, limit),
    markSent(id, gmailMessageId, now) {
      sent.run({ id, gmail_message_id: gmailMessageId, now });
    },
    recordDraft(id, draftId, now) {
      draft.run({ id, draft_id: draftId, now });
    },
    requeue(id, now) {
      const row = requeue.get({ id, now });
      return row && toRecord(row);
    },
    markQueued(id, change) {
      queued.run({ id, ...change, verify_before_send: change.verify_before_send ? 1 : 0 });
    },
    markFailed(id, error, now) {
      failed.run({ id, error, now });
    },
    ping: () => pingSqlite(db),
    close: () => {
      if (db.open) db.close();
    },
  };
}
