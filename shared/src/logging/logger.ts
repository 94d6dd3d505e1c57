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
  // Account secrets: refresh tokens, the link and code of a verification or reset mail, new passwords.
  'refresh_token',
  '*.refresh_token',
  'action',
  '*.action',
  'current_password',
  '*.current_password',
  'new_password',
  '*.new_password',
];

/**
 * An outbound call's error carries its request config, headers included (a service token). Only
 * what helps to diagnose the failure is logged; any other error is logged in full, stack included.
 */
function serializeError(error: unknown) {
  const e = error as { isAxiosError?: boolean; config?: { method?: string; baseURL?: string; url?: string } };
  if (!e?.isAxiosError) return pino.stdSerializers.err(error as Error);
  const axiosError = error as Error & { code?: string; response?: { status?: number } };
  return {
    type: 'HttpClientError',
    message: axiosError.message,
    code: axiosError.code,
    status: axiosError.response?.status,
    method: e.config?.method?.toUpperCase(),
    url: `${e.config?.baseURL ?? ''}${e.config?.url ?? ''}`,
  };
}

/** Structured JSON logger; every line carries the service name and, inside a request, its id. */
export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED, censor: '[redacted]' },
      serializers: { err: serializeError },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { request_id: requestId } : {};
      },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
