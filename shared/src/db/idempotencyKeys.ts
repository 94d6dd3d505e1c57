import type { SqliteDatabase } from './openSqlite.ts';

/**
 * The table every service adds by its own migration (written out there: migrations are append-only):
 *
 *   CREATE TABLE idempotency_keys (
 *     scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
 *     response TEXT,                 -- the saved answer as JSON; NULL while the first request runs
 *     created_at INTEGER NOT NULL,   -- epoch ms
 *     PRIMARY KEY (scope, key));
 *   CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
 */
export interface IdempotencyRecord {
  fingerprint: string;
  /** The saved answer (JSON), or null while the first request with the key still runs. */
  response: string | null;
  createdAt: number;
}

/** Idempotency keys kept in a service's own SQLite database, next to the data the requests write. */
export interface IdempotencyKeys {
  /** Runs `work` in one IMMEDIATE transaction: the key's record commits with the handler's writes. */
  transaction<T>(work: () => T): T;
  find(scope: string, key: string): IdempotencyRecord | undefined;
  /** Records the key as in progress (replacing an expired or abandoned record). */
  reserve(scope: string, key: string, fingerprint: string, now: number): void;
  /** Records the answer under the key (replacing an in-progress or expired record). */
  save(scope: string, key: string, fingerprint: string, response: string, now: number): void;
  /** Forgets an in-progress key whose request failed on the server side, so a retry runs again. */
  release(scope: string, key: string): void;
  /** Removes keys created before `before` (epoch ms); returns how many. */
  purge(before: number): number;
}

export function sqliteIdempotencyKeys(db: SqliteDatabase): IdempotencyKeys {
  const select = db.prepare<
    [string, string],
    { fingerprint: string; response: string | null; created_at: number }
  >('SELECT fingerprint, response, created_at FROM idempotency_keys WHERE scope = ? AND key = ?');
  const upsert = db.prepare<[string, string, string, string | null, number]>(
    `INSERT INTO idempotency_keys (scope, key, fingerprint, response, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (scope, key) DO UPDATE SET
       fingerprint = excluded.fingerprint, response = excluded.response, created_at = excluded.created_at`,
  );
  const deleteInProgress = db.prepare<[string, string]>(
    'DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND response IS NULL',
  );
  const deleteOld = db.prepare<[number]>('DELETE FROM idempotency_keys WHERE created_at < ?');
  return {
    transaction: (work) => db.transaction(work).immediate(),
    find(scope, key) {
      const row = select.get(scope, key);
      return row && { fingerprint: row.fingerprint, response: row.response, createdAt: row.created_at };
    },
    reserve: (scope, key, fingerprint, now) => void upsert.run(scope, key, fingerprint, null, now),
    save: (scope, key, fingerprint, response, now) => void upsert.run(scope, key, fingerprint, response, now),
    release: (scope, key) => void deleteInProgress.run(scope, key),
    purge: (before) => deleteOld.run(before).changes,
  };
}
