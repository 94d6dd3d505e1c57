/**
 * Append-only: `MIGRATIONS[i]` moves the schema from version i to i+1. Never edit one that
 * has shipped; add the next instead.
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL COLLATE NOCASE,
    email         TEXT NOT NULL COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
  ) STRICT;
  -- Uniqueness lives here, so two concurrent registrations cannot both win.
  CREATE UNIQUE INDEX users_email_unique ON users (email);
  CREATE UNIQUE INDEX users_username_unique ON users (username);

  CREATE TABLE notification_preferences (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    channel    TEXT NOT NULL,
    enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, channel)
  ) STRICT, WITHOUT ROWID;
  `, // Idempotency-Key answers (shared/src/db/idempotencyKeys.ts): response is NULL while running.
  // With MONGODB_URI set, this file holds only these keys (see idempotencyKeysDatabase.ts).
  `
  CREATE TABLE idempotency_keys (
    scope       TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    response    TEXT,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
  ) STRICT;
  CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
  `,
  // Accounts: verified addresses, login sessions with their refresh tokens, mailed proofs.
  `
  ALTER TABLE users ADD COLUMN email_verified_at TEXT;

  CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    ended_at   TEXT
  ) STRICT;
  CREATE INDEX sessions_by_user ON sessions (user_id);

  -- Only SHA-256 hashes of refresh tokens; used_at set once spent (a second use is a copy).
  CREATE TABLE refresh_tokens (
    hash       TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
  ) STRICT;
  CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

  -- Mailed proofs (address verification, password reset), hashed; single use.
  CREATE TABLE account_tokens (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    email       TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    code_hash   TEXT,
    wrong_codes INTEGER NOT NULL DEFAULT 0,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    created_at  TEXT NOT NULL
  ) STRICT;
  CREATE INDEX account_tokens_by_user ON account_tokens (user_id, purpose, created_at);
  `,
];
