import type Database from 'better-sqlite3';
import { pauseLockWaits } from './lockWaits.ts';
import { storageFaultCode } from './storageFaults.ts';

/** The one-row table /ready writes to. It lives outside the migrations: every store has it. */
export const PROBE_TABLE = 'storage_probe';

const probes = new WeakMap<Database.Database, Database.Statement<[number]>>();

export function prepareWriteProbe(db: Database.Database): void {
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${PROBE_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), written_at INTEGER NOT NULL)`,
  );
  probes.set(
    db,
    db.prepare(
      `INSERT INTO ${PROBE_TABLE} (id, written_at) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at`,
    ),
  );
}

/**
 * The store half of a /ready check: commits a one-row write. A read (SELECT 1) still works on a
 * full disk, a read-only file or a file another process holds locked; this write fails on all
 * three, and works again as soon as writes do.
 */
export function pingSqlite(db: Database.Database): void {
  const probe = probes.get(db);
  if (!probe) throw new Error('pingSqlite needs a database opened with openSqlite');
  try {
    probe.run(Date.now());
  } catch (error) {
    if (storageFaultCode(error) === 'store_busy') pauseLockWaits();
    throw error;
  }
}
