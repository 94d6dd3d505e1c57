/**
 * Append-only: entry i moves the schema from version i to i+1. Never edit a released entry; add one.
 *
 * `seq` is the rowid (AUTOINCREMENT: never reused), so it grows strictly with insertion and is the
 * keyset for pagination. Each list query is answered from one index range scan:
 * (user_id, seq) for all of a user's orders, (user_id, status, seq) when a status is asked for.
 * The state machine has no cycles, so an order enters each status once: UNIQUE(order_id, to_status)
 * makes a second recording of the same move impossible, whatever the application does.
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE orders (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT    NOT NULL UNIQUE,
    user_id      TEXT    NOT NULL,
    product_name TEXT    NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    unit_amount  INTEGER NOT NULL CHECK (unit_amount >= 0),
    amount       INTEGER NOT NULL CHECK (amount = unit_amount * quantity),
    currency     TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('Pending', 'Paid', 'Cancelled', 'Refunded')),
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
  );
  CREATE INDEX orders_user_seq ON orders (user_id, seq);
  CREATE INDEX orders_user_status_seq ON orders (user_id, status, seq);

  CREATE TABLE order_status_history (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id    TEXT NOT NULL REFERENCES orders (id),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    UNIQUE (order_id, to_status)
  );
  `, // Idempotency-Key answers (shared/src/db/idempotencyKeys.ts): response is NULL while running.
  `
  CREATE TABLE idempotency_keys (
    scope       TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    response    TEXT,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
  );
  CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
  `, // The mails an order owes (its order_created request), written in the order's own transaction.
  // An owed row is due at next_attempt_at: the partial index holds only owed rows, so the worker's
  // look for due ones stays small however many are done.
  `
  CREATE TABLE order_mails (
    order_id        TEXT    NOT NULL REFERENCES orders (id),
    user_id         TEXT    NOT NULL,
    type            TEXT    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'owed' CHECK (state IN ('owed', 'done', 'given_up')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    PRIMARY KEY (order_id, type)
  );
  CREATE INDEX order_mails_due ON order_mails (next_attempt_at) WHERE state = 'owed';
  `,
];
