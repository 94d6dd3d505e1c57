import { MailerError, type MailFailure } from '../domain/mailer.ts';

/** Our own deadline over the whole call (token refresh included) ran out. */
export class GmailTimeout extends Error {
  override name = 'GmailTimeout';
}

// Errors that prove the request never reached the server.
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
// Server errors that may come after the message was accepted (a proxy timing out, a crash mid-way).
const MAYBE_DONE = new Set([500, 502, 504]);

interface GaxiosLike {
  message?: string;
  code?: string | number;
  status?: number;
  config?: { url?: string | URL };
  response?: { status?: number; data?: unknown };
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

function googleMessage(data: unknown): string | undefined {
  const error = (data as { error?: { message?: unknown } } | undefined)?.error;
  return typeof error?.message === 'string' ? error.message.slice(0, 200) : undefined;
}

/** Sorts a failed gaxios / google-auth-library call into a MailFailure. */
export function classifyGmailError(error: unknown, tokenUrl: string, timeoutMs: number): MailFailure {
  if (error instanceof MailerError) return error.failure;
  if (error instanceof GmailTimeout) {
    return {
      reason: `Gmail did not answer within ${timeoutMs} ms`,
      retryable: true,
      mayHaveSent: true,
      configProblem: false,
    };
  }
  const e = (error ?? {}) as GaxiosLike;
  const status = e.response?.status ?? e.status;
  const url = e.config?.url ? String(e.config.url) : '';
  const oauth = oauthError(e.response?.data);
  if (url.startsWith(tokenUrl) || oauth || e.message === 'invalid_grant') {
    // The token refresh failed, so no send was made.
    const code = oauth?.error ?? e.message ?? 'unknown';
    const configProblem = status !== undefined && status >= 400 && status < 500;
    return {
      reason: `Gmail OAuth token refresh failed: ${code}${oauth?.description ? ` (${oauth.description})` : ''}`,
      retryable: true,
      mayHaveSent: false,
      configProblem,
    };
  }
  if (status === undefined) {
    const code = errorCode(error);
    return {
      reason: `Gmail could not be reached: ${code ?? e.message ?? 'unknown error'}`,
      retryable: true,
      mayHaveSent: !(code && NOT_CONNECTED.has(code)),
      configProblem: false,
    };
  }
  const reason = `Gmail answered ${status}: ${googleMessage(e.response?.data) ?? e.message ?? 'no message'}`;
  if (status === 401 || status === 403) {
    return { reason, retryable: true, mayHaveSent: false, configProblem: true };
  }
  if (status === 429 || status >= 500) {
    return { reason, retryable: true, mayHaveSent: MAYBE_DONE.has(status), configProblem: false };
  }
  // Any other 4xx: Gmail refused this message, and sending it again would be refused again.
  return { reason, retryable: false, mayHaveSent: false, configProblem: false };
}
