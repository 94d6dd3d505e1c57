/** Append-only: migrations[i] moves the schema from version i to i + 1. */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE notifications (
    id                 TEXT PRIMARY KEY,
    type               TEXT NOT NULL CHECK (type IN ('order_paid', 'welcome')),
    user_id            TEXT NOT NULL,
    order_id           TEXT,
    status             TEXT NOT NULL CHECK (status IN ('sending', 'queued', 'sent', 'skipped', 'failed')),
    recipient          TEXT NOT NULL,
    mime               BLOB,
    attempts           INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT,
    verify_before_send INTEGER NOT NULL DEFAULT 0,
    next_attempt_at    TEXT,
    lease_until        TEXT,
    gmail_message_id   TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    sent_at            TEXT
  );
  -- At most one mail per (type, user, order): concurrent duplicates collapse here, not on a read.
  -- NULLs are distinct in a UNIQUE index, so a missing order counts as ''.
  CREATE UNIQUE INDEX notifications_once ON notifications (type, user_id, coalesce(order_id, ''));
  CREATE INDEX notifications_queued ON notifications (status, next_attempt_at);
  CREATE INDEX notifications_by_user ON notifications (user_id, created_at);
  `,
  `
  -- Sending goes through a Gmail draft: its id is recorded before drafts.send, so a send that got
  -- no answer is checked by the draft (gone = sent) instead of by a search.
  ALTER TABLE notifications ADD COLUMN gmail_draft_id TEXT;
  -- When the mail last became due (created, or re-queued by an operator): it gives up by age from here.
  ALTER TABLE notifications ADD COLUMN queued_since TEXT;
  UPDATE notifications SET queued_since = created_at;
  -- Failed tries so far, per schedule: Gmail unavailable (fast), quota or configuration (slow).
  ALTER TABLE notifications ADD COLUMN unavailable_failures INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE notifications ADD COLUMN blocked_failures INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- A new type, order_refunded: SQLite cannot alter a CHECK, so the table is rebuilt with its rows
  -- (same columns, in the same order) and its indexes.
  CREATE TABLE notifications_new (
    id                 TEXT PRIMARY KEY,
    type               TEXT NOT NULL CHECK (type IN ('order_paid', 'order_refunded', 'welcome')),
    user_id            TEXT NOT NULL,
    order_id           TEXT,
    status             TEXT NOT NULL CHECK (status IN ('sending', 'queued', 'sent', 'skipped', 'failed')),
    recipient          TEXT NOT NULL,
    mime               BLOB,
    attempts           INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT,
    verify_before_send INTEGER NOT NULL DEFAULT 0,
    next_attempt_at    TEXT,
    lease_until        TEXT,
    gmail_message_id   TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    sent_at            TEXT,
    gmail_draft_id     TEXT,
    queued_since       TEXT,
    unavailable_failures INTEGER NOT NULL DEFAULT 0,
    blocked_failures   INTEGER NOT NULL DEFAULT 0
  );
  INSERT INTO notifications_new SELECT id, type, user_id, order_id, status, recipient, mime, attempts,
    last_error, verify_before_send, next_attempt_at, lease_until, gmail_message_id, created_at,
    updated_at, sent_at, gmail_draft_id, queued_since, unavailable_failures, blocked_failures
    FROM notifications;
  DROP TABLE notifications;
  ALTER TABLE notifications_new RENAME TO notifications;
  CREATE UNIQUE INDEX notifications_once ON notifications (type, user_id, coalesce(order_id, ''));
  CREATE INDEX notifications_queued ON notifications (status, next_attempt_at);
  CREATE INDEX notifications_by_user ON notifications (user_id, created_at);
  `,
  `
  -- Three changes, one rebuild (SQLite cannot drop a CHECK):
  -- 1. No CHECK on type: the contract's NOTIFICATION_TYPES is the one list of types (every row comes
  --    through it), so a new mail kind needs no rebuild.
  -- 2. The recipient cap: mailbox (the address lower-cased, without a +tag) and cap_slot_at (the time
  --    the mail counts at against its mailbox's hourly cap; null for a mail that is not sent).
  -- 3. Accounts: status 'held' (user text waiting for a verified address) and a 'reference' (the
  --    verification, reset or change a security mail is about), part of the at-most-once key.
  CREATE TABLE notifications_new (
    id                 TEXT PRIMARY KEY,
    type               TEXT NOT NULL,
    user_id            TEXT NOT NULL,
    order_id           TEXT,
    status             TEXT NOT NULL CHECK (status IN ('sending', 'queued', 'held', 'sent', 'skipped', 'failed')),
    recipient          TEXT NOT NULL,
    mime               BLOB,
    attempts           INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT,
    verify_before_send INTEGER NOT NULL DEFAULT 0,
    next_attempt_at    TEXT,
    lease_until        TEXT,
    gmail_message_id   TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    sent_at            TEXT,
    gmail_draft_id     TEXT,
    queued_since       TEXT,
    unavailable_failures INTEGER NOT NULL DEFAULT 0,
    blocked_failures   INTEGER NOT NULL DEFAULT 0,
    mailbox            TEXT,
    cap_slot_at        TEXT,
    reference          TEXT
  );
  INSERT INTO notifications_new SELECT id, type, user_id, order_id, status, recipient, mime, attempts,
    last_error, verify_before_send, next_attempt_at, lease_until, gmail_message_id, created_at,
    updated_at, sent_at, gmail_draft_id, queued_since, unavailable_failures, blocked_failures,
    lower(CASE WHEN instr(substr(recipient, 1, instr(recipient, '@') - 1), '+') > 0
               THEN substr(recipient, 1, instr(recipient, '+') - 1) || substr(recipient, instr(recipient, '@'))
               ELSE recipient END),
    CASE WHEN status = 'skipped' THEN NULL ELSE coalesce(sent_at, created_at) END,
    NULL
    FROM notifications;
  DROP TABLE notifications;
  ALTER TABLE notifications_new RENAME TO notifications;
  CREATE UNIQUE INDEX notifications_once ON notifications (type, user_id, coalesce(order_id, reference, ''));
  CREATE INDEX notifications_queued ON notifications (status, next_attempt_at);
  CREATE INDEX notifications_by_user ON notifications (user_id, created_at);
  CREATE INDEX notifications_by_mailbox ON notifications (mailbox, cap_slot_at);
  `,
];
