import { MailerError, type MailFailure } from '../domain/mailer.ts';

/** Our own deadline over the whole call (token refresh included) ran out. */
export class GmailTimeout extends Error {
  override name = 'GmailTimeout';
}

// Errors that prove the request never reached the server.
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
// Server errors that may come after the call took effect (a proxy timing out, a crash mid-way).
const MAYBE_DONE = new Set([500, 502, 504]);
// 403 reasons Google uses for usage limits (domain usageLimits): quota, not permission.
const QUOTA_REASONS = new Set([
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'dailyLimitExceeded',
  'quotaExceeded',
]);

interface GaxiosLike {
  message?: string;
  code?: string | number;
  status?: number;
  config?: { url?: string | URL };
  response?: { status?: number; data?: unknown; headers?: unknown };
  cause?: unknown;
}

function errorCode(error: unknown): string | undefined {
  // fetch wraps the socket error: GaxiosError -> TypeError('fetch failed') -> Error { code }.
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code } = e as GaxiosLike;
    if (typeof code === 'string' && code.startsWith('E')) return code;
    e = (e as GaxiosLike).cause ?? (e as { error?: unknown }).error;
  }
  return undefined;
}

function oauthError(data: unknown): { error: string; description?: string } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { error, error_description: description } = data as Record<string, unknown>;
  if (typeof error !== 'string') return undefined;
  return { error, description: typeof description === 'string' ? description : undefined };
}

function googleError(data: unknown): { message?: string; reason?: string } {
  const error = (data as { error?: { message?: unknown; errors?: { reason?: unknown }[] } } | undefined)
    ?.error;
  const reason = error?.errors?.[0]?.reason;
  return {
    message: typeof error?.message === 'string' ? error.message.slice(0, 200) : undefined,
    reason: typeof reason === 'string' ? reason : undefined,
  };
}

/** Retry-After in ms (seconds or an HTTP date), from gaxios's Headers or a plain object. */
export function retryAfterMs(headers: unknown, now = Date.now()): number | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const value =
    typeof (headers as Headers).get === 'function'
      ? (headers as Headers).get('retry-after')
      : (headers as Record<string, unknown>)['retry-after'];
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The HTTP status of a failed gaxios call, or undefined when no answer came. */
export function gaxiosStatus(error: unknown): number | undefined {
  const e = (error ?? {}) as GaxiosLike;
  const status = e.response?.status ?? e.status;
  return typeof status === 'number' ? status : undefined;
}

/** Sorts a failed gaxios / google-auth-library call into a MailFailure. */
export function classifyGmailError(error: unknown, tokenUrl: string, timeoutMs: number): MailFailure {
  if (error instanceof MailerError) return error.failure;
  if (error instanceof GmailTimeout) {
    return { reason: `Gmail did not answer within ${timeoutMs} ms`, kind: 'unavailable', mayHaveSent: true };
  }
  const e = (error ?? {}) as GaxiosLike;
  const status = gaxiosStatus(error);
  const url = e.config?.url ? String(e.config.url) : '';
  const oauth = oauthError(e.response?.data);
  if (url.startsWith(tokenUrl) || oauth || e.message === 'invalid_grant') {
    // The token refresh failed, so no Gmail call was made.
    const code = oauth?.error ?? e.message ?? 'unknown';
    const refused = status !== undefined && status >= 400 && status < 500;
    return {
      reason: `Gmail OAuth token refresh failed: ${code}${oauth?.description ? ` (${oauth.description})` : ''}`,
      kind: refused ? 'configuration' : 'unavailable',
      mayHaveSent: false,
    };
  }
  if (status === undefined) {
    const code = errorCode(error);
    return {
      reason: `Gmail could not be reached: ${code ?? e.message ?? 'unknown error'}`,
      kind: 'unavailable',
      mayHaveSent: !(code && NOT_CONNECTED.has(code)),
    };
  }
  const google = googleError(e.response?.data);
  const detail = google.message ?? e.message ?? 'no message';
  const reason = `Gmail answered ${status}${google.reason ? ` ${google.reason}` : ''}: ${detail}`;
  const retryAfter = retryAfterMs(e.response?.headers);
  const withRetryAfter = retryAfter === undefined ? {} : { retryAfterMs: retryAfter };
  if (status === 429 || (status === 403 && google.reason && QUOTA_REASONS.has(google.reason))) {
    return { reason, kind: 'quota', mayHaveSent: false, ...withRetryAfter };
  }
  if (status === 401 || status === 403) return { reason, kind: 'configuration', mayHaveSent: false };
  if (status >= 500) {
    return { reason, kind: 'unavailable', mayHaveSent: MAYBE_DONE.has(status), ...withRetryAfter };
  }
  // Any other 4xx: Gmail refused this request, and repeating it would be refused again.
  return { reason, kind: 'refused', mayHaveSent: false };
}
