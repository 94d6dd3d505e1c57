import { AppError } from '../errors/AppError.ts';

/** What a client is told when the database cannot take a write; each is a 503 with Retry-After. */
export type StorageFaultCode = 'store_busy' | 'store_full' | 'store_unavailable';

const RETRY_AFTER_SECONDS: Record<StorageFaultCode, number> = {
  store_busy: 1,
  store_full: 30,
  store_unavailable: 30,
};

const DETAILS: Record<StorageFaultCode, string> = {
  store_busy:
    "The service's storage is locked by another process, so this request could not be saved. Try again shortly.",
  store_full: "The service's storage is full, so this request could not be saved. Try again later.",
  store_unavailable:
    "The service's storage cannot be written right now, so this request could not be saved. Try again later.",
};

/**
 * A SQLite error that is about the storage, not the request: the disk is full (ENOSPC shows as
 * SQLITE_FULL), the file or filesystem turned read-only or failed (SQLITE_READONLY*, SQLITE_IOERR*,
 * SQLITE_CANTOPEN), the file is damaged (SQLITE_CORRUPT, SQLITE_NOTADB), or another connection
 * holds the lock (SQLITE_BUSY*, SQLITE_LOCKED*, SQLITE_PROTOCOL). SQLite has rolled the failed
 * statement or transaction back whole by the time it throws.
 */
export function storageFaultCode(error: unknown): StorageFaultCode | undefined {
  if (error instanceof StorageFault) return error.code;
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (!(error instanceof Error) || typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  if (/^SQLITE_(BUSY|LOCKED|PROTOCOL)/.test(code)) return 'store_busy';
  if (code === 'SQLITE_FULL') return 'store_full';
  if (/^SQLITE_(READONLY|IOERR|CANTOPEN|CORRUPT|NOTADB)/.test(code)) return 'store_unavailable';
  return undefined;
}

/** The 503 a storage fault is answered with; `sqliteCode` is for the logs, never the client. */
export class StorageFault extends AppError {
  override name = 'StorageFault';
  declare readonly code: StorageFaultCode;
  constructor(
    code: StorageFaultCode,
    readonly sqliteCode: string,
  ) {
    super(503, code, DETAILS[code], {}, { 'Retry-After': String(RETRY_AFTER_SECONDS[code]) });
  }
}

/** The StorageFault for `error`, or undefined when it is not a storage fault. */
export function storageFault(error: unknown): StorageFault | undefined {
  if (error instanceof StorageFault) return error;
  const code = storageFaultCode(error);
  return code && new StorageFault(code, String((error as { code: string }).code));
}

export const isStorageFault = (error: unknown): boolean => storageFaultCode(error) !== undefined;
