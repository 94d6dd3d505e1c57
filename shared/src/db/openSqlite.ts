import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../config/loadConfig.ts';

export type SqliteDatabase = Database.Database;

/**
 * Opens a SQLite database in WAL mode and brings its schema up to date. `migrations[i]` moves the
 * schema from version i to i+1 (tracked in `PRAGMA user_version`); each runs in its own transaction,
 * so a failed migration leaves the previous version intact. Migrations are append-only.
 */
export function openSqlite(path: string, migrations: string[]): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return db;
}

/** Throws unless the database answers a trivial query: the store half of a /ready check. */
export function pingSqlite(db: SqliteDatabase): void {
  db.prepare('SELECT 1').get();
}

/**
 * Opens a service's database at start-up. A path that cannot be opened (missing folder rights, not
 * a SQLite file) stops the service with one line naming the variable, like any other bad setting.
 */
export function openDatabaseSetting<T>(variable: string, path: string, open: (path: string) => T): T {
  try {
    return open(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      `Invalid configuration: ${variable} cannot be opened as a SQLite database (got ${JSON.stringify(path)}: ${reason})`,
    );
  }
}
