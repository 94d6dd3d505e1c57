import type Database from 'better-sqlite3';

/**
 * How long a statement waits for a lock another connection holds before SQLITE_BUSY. better-sqlite3
 * is synchronous: the wait blocks the whole event loop (with SQLite's old 5 s, one locked file froze
 * every request, /health included). A normal writer here holds the lock well under a millisecond
 * plus an fsync of a few; a lock held past 50 ms is not normal traffic, so the request gets
 * 503 store_busy (Retry-After) instead of a stalled process.
 */
export const LOCK_WAIT_MS = 50;

/**
 * After a lock outlasted LOCK_WAIT_MS, statements stop waiting for this long: otherwise every
 * request arriving meanwhile would block the event loop for LOCK_WAIT_MS in turn. A lock released
 * meanwhile costs nothing (the wait only applies while the lock is held).
 */
export const LOCK_WAIT_PAUSE_MS = 1_000;

const databases = new Set<Database.Database>();
let resumeTimer: NodeJS.Timeout | undefined;

const setWait = (db: Database.Database, ms: number) => {
  if (db.open) db.pragma(`busy_timeout = ${ms}`);
  else databases.delete(db);
};

/** Sets the connection's lock wait, and lets pauseLockWaits reach it. */
export function waitForLocks(db: Database.Database): void {
  for (const known of databases) if (!known.open) databases.delete(known);
  databases.add(db);
  setWait(db, resumeTimer ? 0 : LOCK_WAIT_MS);
}

/** A lock outlasted the wait: fail fast on every open database of this process for a while. */
export function pauseLockWaits(): void {
  if (!resumeTimer) for (const db of databases) setWait(db, 0);
  clearTimeout(resumeTimer);
  resumeTimer = setTimeout(() => {
    resumeTimer = undefined;
    for (const db of databases) setWait(db, LOCK_WAIT_MS);
  }, LOCK_WAIT_PAUSE_MS);
  resumeTimer.unref();
}
