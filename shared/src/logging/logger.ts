import { pino, type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './requestContext.ts';

export type { Logger };

/** Paths never written to logs, whatever object they appear in. */
const REDACTED = [
  'password',
  'password_hash',
  'passwordHash',
  '*.password',
  '*.password_hash',
  '*.passwordHash',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'token',
  '*.token',
  'client_secret',
  '*.client_secret',
];

/** Structured JSON logger; every line carries the service name and, inside a request, its id. */
export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED, censor: '[redacted]' },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { request_id: requestId } : {};
      },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
