import { openDatabaseSetting, openSqlite, sqliteIdempotencyKeys, type IdempotencyKeys } from '@shop/shared';
import { MIGRATIONS } from './migrations.ts';

/**
 * Where the user-service keeps Idempotency-Keys: a table of the SQLite file at USER_DB_PATH, in
 * both store modes. With the SQLite store it is the users' own database (through a second
 * connection); with MongoDB the file holds only the keys, so they are per instance and a key is
 * not written in the same transaction as the user (register hashes the password first anyway, so
 * the key is recorded as in progress before the work and its answer saved after).
 */
export function openIdempotencyKeys(path: string): { keys: IdempotencyKeys; close(): void } {
  const db = openDatabaseSetting('USER_DB_PATH', path, (file) => openSqlite(file, MIGRATIONS));
  return {
    keys: sqliteIdempotencyKeys(db),
    close: () => {
      if (db.open) db.close();
    },
  };
}
