/** One invalid field of a request: where it was (`body`, `query`, `params`), its path and why. */
export interface FieldError {
  in: 'body' | 'query' | 'params' | 'header';
  field: string;
  message: string;
}

/**
 * The one error type services throw for anything a client should see. The error middleware turns
 * it into an RFC 9457 problem document; `code` is the stable machine-readable reason.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra members for the problem document (e.g. `errors`, `decline_code`, `from`, `to`). */
    readonly extras: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code = 'bad_request', extras?: Record<string, unknown>) =>
  new AppError(400, code, message, extras);
export const validationFailed = (errors: FieldError[]) =>
  new AppError(400, 'validation_error', 'The request has invalid fields.', { errors });
export const unauthorized = (message = 'Authentication is required.', code = 'unauthorized') =>
  new AppError(401, code, message, {}, { 'WWW-Authenticate': 'Bearer' });
export const forbidden = (message = 'You may not do this.', code = 'forbidden') =>
  new AppError(403, code, message);
export const notFound = (message = 'Not found.', code = 'not_found') => new AppError(404, code, message);
export const conflict = (message: string, code = 'conflict', extras?: Record<string, unknown>) =>
  new AppError(409, code, message, extras);
export const badGateway = (message: string, code = 'upstream_error') => new AppError(502, code, message);
export const serviceUnavailable = (message: string, code = 'unavailable') => new AppError(503, code, message);
