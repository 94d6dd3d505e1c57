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

export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    status: string;
    errors: { message: string; domain: string; reason: string; location?: string; locationType?: string }[];
  };
}

/** detailMessage is errors[0].message, which Google sometimes words apart from the top-level message. */
export function googleError(code: number, message: string, detailMessage = message): GoogleErrorBody {
  const names = STATUS_NAMES[code] ?? (code >= 500 ? STATUS_NAMES[500]! : STATUS_NAMES[400]!);
  const detail: GoogleErrorBody['error']['errors'][number] = {
    message: detailMessage,
    domain: 'global',
    reason: names.reason,
  };
  if (code === 401) Object.assign(detail, { location: 'Authorization', locationType: 'header' });
  return { error: { code, message, status: names.status, errors: [detail] } };
}

export function sendGoogleError(res: Response, code: number, message: string, detailMessage?: string): void {
  res.status(code).json(googleError(code, message, detailMessage));
}

/** Default messages Google uses for server-side failures, used by the 'error' fault. */
export function defaultServerErrorMessage(code: number): string {
  if (code === 429) return 'Resource has been exhausted (e.g. check quota).';
  if (code === 503) return 'The service is currently unavailable.';
  return 'Internal error encountered.';
}
