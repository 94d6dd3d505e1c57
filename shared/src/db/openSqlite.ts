import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../config/loadConfig.ts';
import { synchronousMode } from './durability.ts';
import { waitForLocks } from './lockWaits.ts';
import { checkIntact, checkSchemaIsOurs } from './startupChecks.ts';
import { prepareWriteProbe } from './writeProbe.ts';

export type SqliteDatabase = Database.Database;

/**
 * Opens a SQLite database in WAL mode with durable commits (see durability.ts), checks that the
 * file is an intact database of this service, and brings its schema up to date. `migrations[i]`
 * moves the schema from version i to i+1 (tracked in `PRAGMA user_version`); each runs in its own
 * transaction, so a failed migration leaves the previous version intact. Migrations are append-only.
 */
export function openSqlite(path: string, migrations: string[]): SqliteDatabase {
  const synchronous = synchronousMode();
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    waitForLocks(db);
    db.pragma('journal_mode = WAL'); // SQLite opens lazily: a file that is not a database fails here
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma('foreign_keys = ON');
    checkIntact(db);
    checkSchemaIsOurs(db, migrations.length);
    const current = db.pragma('user_version', { simple: true }) as number;
    for (let version = current; version < migrations.length; version++) {
      db.transaction(() => {
        db.exec(migrations[version]!);
        db.pragma(`user_version = ${version + 1}`);
      })();
    }
    prepareWriteProbe(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Opens a service's database at start-up. A path that cannot be opened (missing folder rights, not
 * a SQLite file, a damaged or foreign one) stops the service with one line naming the variable,
 * like any other bad setting.
 */
export function openDatabaseSetting<T>(variable: string, path: string, open: (path: string) => T): T {
  try {
    return open(path);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(
      `Invalid configuration: ${variable} cannot be opened as a SQLite database (got ${JSON.stringify(path)}: ${reason})`,
    );
  }
}
