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

const RECORD_COLUMNS = `id, type, user_id, order_id, status, recipient, mime, attempts, last_error,
  verify_before_send, next_attempt_at, lease_until, gmail_message_id, gmail_draft_id, queued_since,
  unavailable_failures, blocked_failures, created_at, sent_at`;

const toRecord = (row: Row): NotificationRecord => ({
  ...row,
  verify_before_send: row.verify_before_send === 1,
});

/** Opens (creating or migrating) the notification database; ':memory:' or a file path. */
export function openNotificationStore(path: string): NotificationStore {
  const db = openSqlite(path, MIGRATIONS);

  const insert = db.prepare(`
    INSERT INTO notifications (id, type, user_id, order_id, status, recipient, mime, attempts, last_error,
                               lease_until, next_attempt_at, queued_since, created_at, updated_at,
                               mailbox, cap_slot_at)
    VALUES (@id, @type, @user_id, @order_id, @status, @recipient, @mime, @attempts, @last_error,
            @lease_until, @next_attempt_at, coalesce(@next_attempt_at, @created_at), @created_at,
            @created_at, @mailbox, @cap_slot_at)
    ON CONFLICT DO NOTHING`);
  const slots = db.prepare<[string, number], { cap_slot_at: string }>(`
    SELECT cap_slot_at FROM notifications WHERE mailbox = ? AND cap_slot_at IS NOT NULL
    ORDER BY cap_slot_at DESC LIMIT ?`);
  const byKey = db.prepare<[string, string, string], Row>(
    `SELECT ${RECORD_COLUMNS} FROM notifications WHERE type = ? AND user_id = ? AND coalesce(order_id, '') = ?`,
  );
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
        next_attempt_at = NULL, lease_until = NULL, verify_before_send = 0
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
    SET status = 'failed', last_error = @error, next_attempt_at = NULL, lease_until = NULL, updated_at = @now
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
    const deferredUntil = initial.status === 'queued' ? initial.next_attempt_at : null;
    const result = insert.run({
      id: row.id,
      type: row.type,
      user_id: row.user_id,
      order_id: row.order_id,
      status: initial.status,
      recipient: row.recipient,
      mime: initial.status === 'skipped' ? null : initial.mime,
      attempts: initial.status === 'sending' ? 1 : 0,
      last_error: initial.status === 'skipped' ? initial.reason : null,
      lease_until: initial.status === 'sending' ? initial.lease_until : null,
      // A deferred mail's age (for giving up) starts when it becomes due.
      next_attempt_at: deferredUntil,
      created_at: row.created_at,
      mailbox: row.mailbox,
      cap_slot_at: initial.status === 'skipped' ? null : (deferredUntil ?? row.created_at),
    });
    const record = byKey.get(row.type, row.user_id, row.order_id ?? '');
    if (!record) throw new Error(`notification ${row.id} was neither inserted nor found`);
    return { inserted: result.changes === 1, record: toRecord(record) };
  });

  return {
    insertOnce: (row) => insertOnce(row),
    findByKey(type, userId, orderId) {
      const row = byKey.get(type, userId, orderId ?? '');
      return row && toRecord(row);
    },
    latestSlots: (mailbox, limit) => slots.all(mailbox, limit).map((row) => row.cap_slot_at),
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
