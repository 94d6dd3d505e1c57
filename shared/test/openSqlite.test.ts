import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, openDatabaseSetting, openSqlite } from '../src/index.ts';

const MIGRATIONS = [
  `CREATE TABLE payments (id INTEGER PRIMARY KEY, note TEXT NOT NULL);
   CREATE INDEX payments_note ON payments (note);`,
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'open-sqlite-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A healthy store file of about 1 MB, closed (checkpointed), to damage in the tests. */
function healthyFile(name = 'payments.sqlite'): string {
  const path = join(dir, name);
  const db = openSqlite(path, MIGRATIONS);
  const insert = db.prepare('INSERT INTO payments (note) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2_000; i++) insert.run(`payment ${i} ${'x'.repeat(400)}`);
  })();
  db.close();
  return path;
}

const open = (path: string) => openDatabaseSetting('PAYMENT_DB_PATH', path, (p) => openSqlite(p, MIGRATIONS));

/** The one line a service prints before it stops. */
function startUpLine(path: string): string {
  try {
    open(path).close();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`${path} was opened`);
}

describe('a store file that is not a usable database stops the service at start with one line naming the variable', () => {
  it('when the file is not a database at all (text), the line names PAYMENT_DB_PATH and says so', () => {
    const path = join(dir, 'payments.sqlite');
    writeFileSync(path, 'order_id,amount\n42,3998\n'.repeat(200));
    const line = startUpLine(path);
    expect(line).toMatch(/^Invalid configuration: PAYMENT_DB_PATH cannot be opened as a SQLite database/);
    expect(line).toContain('not a database');
    expect(line.split('\n')).toHaveLength(1);
  });

  it('when the file was cut short (truncated to half), the line names PAYMENT_DB_PATH', () => {
    const path = healthyFile();
    writeFileSync(path, readFileSync(path).subarray(0, Math.floor(statSync(path).size / 2)));
    expect(startUpLine(path)).toMatch(/^Invalid configuration: PAYMENT_DB_PATH .*malformed/);
  });

  it('when pages in the middle of the file are garbage (corrupt), the line names PAYMENT_DB_PATH before anything is served', () => {
    const path = healthyFile();
    const bytes = readFileSync(path);
    bytes.fill(0xab, 4096 * 20, 4096 * 30);
    writeFileSync(path, bytes);
    expect(startUpLine(path)).toMatch(/^Invalid configuration: PAYMENT_DB_PATH .*(malformed|corrupt)/);
  });

  it("when the file is another application's SQLite database (tables, no schema version), it is not adopted", () => {
    const path = join(dir, 'payments.sqlite');
    const foreign = new Database(path);
    foreign.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY, caption TEXT)');
    foreign.close();
    expect(startUpLine(path)).toMatch(
      /^Invalid configuration: PAYMENT_DB_PATH .*another application's database \(tables photos\)/,
    );
    const after = new Database(path, { readonly: true });
    const tables = after.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all();
    after.close();
    expect(tables, 'nothing was added to it').toEqual(['photos']);
  });

  it('when the file was written by a newer version of the service (a higher schema version), it is not touched', () => {
    const path = healthyFile();
    const newer = new Database(path);
    newer.pragma('user_version = 7');
    newer.close();
    expect(startUpLine(path)).toMatch(/^Invalid configuration: PAYMENT_DB_PATH .*schema version 7.* knows 1/);
  });

  it('when the file is healthy, or empty (a new database), it opens', () => {
    open(healthyFile()).close();
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    const db = open(empty);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });
});

describe('durability of commits', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('every store commits with synchronous = FULL (an acknowledged commit survives an OS crash or power loss)', () => {
    const db = openSqlite(join(dir, 'orders.sqlite'), MIGRATIONS);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true }), '2 = FULL').toBe(2);
    db.close();
  });

  it('BENCH_SQLITE_SYNCHRONOUS=NORMAL (for the benchmark) gives NORMAL outside production', () => {
    process.env.BENCH_SQLITE_SYNCHRONOUS = 'NORMAL';
    process.env.NODE_ENV = 'test';
    const db = openSqlite(join(dir, 'orders.sqlite'), MIGRATIONS);
    expect(db.pragma('synchronous', { simple: true }), '1 = NORMAL').toBe(1);
    db.close();
  });

  it('BENCH_SQLITE_SYNCHRONOUS in production, or with another value, stops the service with one line naming it', () => {
    process.env.BENCH_SQLITE_SYNCHRONOUS = 'NORMAL';
    process.env.NODE_ENV = 'production';
    expect(() => open(join(dir, 'orders.sqlite'))).toThrow(
      /^Invalid configuration: BENCH_SQLITE_SYNCHRONOUS .*production/,
    );
    process.env.NODE_ENV = 'test';
    process.env.BENCH_SQLITE_SYNCHRONOUS = 'OFF';
    expect(() => open(join(dir, 'orders.sqlite'))).toThrow(
      /^Invalid configuration: BENCH_SQLITE_SYNCHRONOUS must be NORMAL or unset \(got "OFF"\)/,
    );
  });
});
