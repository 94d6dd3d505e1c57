/**
 * Append-only migrations: `MIGRATIONS[i]` moves the schema from version i to i+1. Never edit one that
 * has shipped; add a new one.
 */
export const MIGRATIONS: string[] = [
  `
  -- One row per order, ever (UNIQUE order_id): the anchor that makes one PaymentIntent per order.
  -- attempt / attempt_payment_method / attempt_open record a confirmation before it is sent, so a
  -- retry after a crash or a timeout reuses its idempotency key. sync_after schedules reconciliation.
  CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (amount > 0),
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    payment_intent_id TEXT UNIQUE,
    client_secret TEXT,
    last_error_code TEXT,
    last_error_decline_code TEXT,
    last_error_message TEXT,
    attempt INTEGER NOT NULL DEFAULT 0,
    attempt_payment_method TEXT,
    attempt_open INTEGER NOT NULL DEFAULT 0,
    sync_after INTEGER NOT NULL DEFAULT 0,
    sync_failures INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX payments_unsettled ON payments (created_at)
    WHERE status NOT IN ('succeeded', 'refunded', 'canceled');

  -- Steps still owed after a charge or a refund; inserted in the transaction that settles the payment.
  CREATE TABLE follow_ups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payment_id TEXT NOT NULL REFERENCES payments (id),
    step TEXT NOT NULL CHECK (step IN ('mark_paid', 'send_receipt', 'mark_refunded')),
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'blocked')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    done_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (payment_id, step)
  );
  CREATE INDEX follow_ups_due ON follow_ups (next_attempt_at) WHERE state = 'pending';

  -- Stripe event ids already handled, so a redelivered event changes nothing.
  CREATE TABLE webhook_events (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    processed_at TEXT NOT NULL
  );

  -- Responses to pay-order calls that carried an Idempotency-Key header, replayed on a repeat.
  CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    response TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
  );
  `, // The shared Idempotency-Key store (shared/src/db/idempotencyKeys.ts) now covers pay-order and
  // refund: response is NULL while a first request runs, and scopes name caller, method and path.
  // Keys of the old pay-order-only mechanism are dropped (their fingerprints are not comparable):
  // a retry with one runs again, which pay-order's one-PaymentIntent-per-order makes safe.
  `
  DROP TABLE idempotency_keys;
  CREATE TABLE idempotency_keys (
    scope       TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    response    TEXT,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
  );
  CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
  `,
  // Card declines, kept so that the caps on failed attempts per order and per user (card testing)
  // hold across restarts; rows older than the window are purged by the worker.
  `
  CREATE TABLE card_failures (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id     TEXT    NOT NULL,
    user_id      TEXT    NOT NULL,
    at           INTEGER NOT NULL,
    code         TEXT,
    decline_code TEXT
  );
  CREATE INDEX card_failures_order ON card_failures (order_id, at);
  CREATE INDEX card_failures_user ON card_failures (user_id, at);
  `,
  // Stripe saves a 500 under its idempotency key for 24 hours, so a create or a refund that got one
  // needs a new key: create_generation / refund_generation number the keys. create_refused marks a
  // create Stripe refused (e.g. amount_too_small): not retried by the worker. The refund's own
  // state (pending, succeeded, failed, canceled) is tracked, since a card refund may fail later.
  `
  ALTER TABLE payments ADD COLUMN create_generation INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE payments ADD COLUMN create_refused INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE payments ADD COLUMN refund_generation INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE payments ADD COLUMN refund_id TEXT;
  ALTER TABLE payments ADD COLUMN refund_status TEXT;
  ALTER TABLE payments ADD COLUMN refund_failure_reason TEXT;
  UPDATE payments SET refund_status = 'succeeded' WHERE status = 'refunded';
  CREATE INDEX payments_refund_pending ON payments (created_at) WHERE refund_status = 'pending';
  `,
  // A new step, send_refund_notice (the customer's mail once a refund succeeded): SQLite cannot
  // alter a CHECK, so follow_ups is rebuilt with its rows and its index.
  `
  CREATE TABLE follow_ups_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payment_id TEXT NOT NULL REFERENCES payments (id),
    step TEXT NOT NULL
      CHECK (step IN ('mark_paid', 'send_receipt', 'mark_refunded', 'send_refund_notice')),
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'blocked')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    done_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (payment_id, step)
  );
  INSERT INTO follow_ups_new (id, payment_id, step, state, attempts, next_attempt_at, last_error, done_at, created_at)
    SELECT id, payment_id, step, state, attempts, next_attempt_at, last_error, done_at, created_at FROM follow_ups;
  DROP TABLE follow_ups;
  ALTER TABLE follow_ups_new RENAME TO follow_ups;
  CREATE INDEX follow_ups_due ON follow_ups (next_attempt_at) WHERE state = 'pending';
  `,
];
