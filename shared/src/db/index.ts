export * from './durability.ts';
export { LOCK_WAIT_MS, LOCK_WAIT_PAUSE_MS } from './lockWaits.ts';
export * from './openSqlite.ts';
export * from './storageBackoff.ts';
export * from './storageFaults.ts';
export { pingSqlite } from './writeProbe.ts';
export * from './idempotencyKeys.ts';
