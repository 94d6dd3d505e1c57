import type { Response } from 'express';

// Google APIs answer errors as {error:{code, message, status, errors:[...]}}; gaxios turns that
// body into the rejected error's message and code, so callers see what they would see in production.
const STATUS_NAMES: Record<number, { status: string; reason: string }> = {
  400: { status: 'INVALID_ARGUMENT', reason: 'invalidArgument' },
  401: { status: 'UNAUTHENTICATED', reason: 'authError' },
  403: { status: 'PERMISSION_DENIED', reason: 'forbidden' },
  404: { status: 'NOT_FOUND', reason: 'notFound' },
  413: { status: 'INVALID_ARGUMENT', reason: 'uploadTooLarge' },
  429: { status: 'RESOURCE_EXHAUSTED', reason: 'rateLimitExceeded' },
  500: { status: 'INTERNAL', reason: 'backendError' },
  503: { status: 'UNAVAILABLE', reason: 'backendError' },
};

/** Reasons Google files under the `usageLimits` domain: quota, not permission. */
export const QUOTA_REASONS = [
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'dailyLimitExceeded',
  'quotaExceeded',
] as const;
export type QuotaReason = (typeof QUOTA_REASONS)[number];

export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    status: string;
    errors: { message: string; domain: string; reason: string; location?: string; locationType?: string }[];
  };
}

export interface GoogleErrorOptions {
  /** errors[0].message, which Google sometimes words apart from the top-level message. */
  detailMessage?: string;
  /** errors[0].reason; defaults to the status's usual reason. */
  reason?: string;
}

export function googleError(
  code: number,
  message: string,
  options: GoogleErrorOptions = {},
): GoogleErrorBody {
  const names = STATUS_NAMES[code] ?? (code >= 500 ? STATUS_NAMES[500]! : STATUS_NAMES[400]!);
  const reason = options.reason ?? names.reason;
  const quota = (QUOTA_REASONS as readonly string[]).includes(reason);
  const detail: GoogleErrorBody['error']['errors'][number] = {
    message: options.detailMessage ?? message,
    domain: quota ? 'usageLimits' : 'global',
    reason,
  };
  if (code === 401) Object.assign(detail, { location: 'Authorization', locationType: 'header' });
  return { error: { code, message, status: names.status, errors: [detail] } };
}

export function sendGoogleError(
  res: Response,
  code: number,
  message: string,
  options: GoogleErrorOptions = {},
): void {
  res.status(code).json(googleError(code, message, options));
}

/** Google's usual message for each fault an `error` fault can answer. */
export function defaultErrorMessage(code: number, reason?: string): string {
  if (reason === 'dailyLimitExceeded') return 'Daily Limit Exceeded';
  if (reason === 'userRateLimitExceeded') return 'User-rate limit exceeded';
  if (reason === 'quotaExceeded') return "Quota exceeded for quota metric 'Queries'";
  if (reason === 'rateLimitExceeded' || code === 429)
    return 'Resource has been exhausted (e.g. check quota).';
  if (code === 503) return 'The service is currently unavailable.';
  if (code === 404) return 'Requested entity was not found.';
  if (code === 403) return 'The caller does not have permission';
  if (code < 500) return 'Bad Request';
  return 'Internal error encountered.';
}
