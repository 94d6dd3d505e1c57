import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pauseLockWaits } from '../db/lockWaits.ts';
import { storageFault, type StorageFault } from '../db/storageFaults.ts';
import { AppError } from '../errors/AppError.ts';
import { DependencyError } from '../errors/DependencyError.ts';
import { PROBLEM_CONTENT_TYPE, problem } from '../errors/problem.ts';
import { currentRequestId } from '../logging/requestContext.ts';

/** body-parser's error types, mapped to what the client did wrong. */
const BODY_PARSER_ERRORS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'The request body is not valid JSON.'],
  'entity.too.large': [413, 'payload_too_large', 'The request body is too large.'],
  'encoding.unsupported': [415, 'unsupported_encoding', 'The request body encoding is not supported.'],
  'charset.unsupported': [415, 'unsupported_charset', 'The request body charset is not supported.'],
  'request.aborted': [400, 'request_aborted', 'The request was aborted.'],
  'parameters.too.many': [413, 'payload_too_large', 'The request has too many parameters.'],
};

/** The SQLite code goes to the log for the operator; the client gets the fault's code and Retry-After. */
function noteStorageFault(logger: Logger, fault: StorageFault, err: unknown): void {
  if (fault.code === 'store_busy') pauseLockWaits();
  const message = err instanceof Error && err !== fault ? err.message : undefined;
  logger.error(
    { code: fault.code, sqlite_code: fault.sqliteCode, sqlite_message: message },
    'storage fault: the request was not saved',
  );
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError(404, 'route_not_found', `No route for ${req.method} ${req.path}.`));
};

/**
 * The one error middleware: storage faults as 503s with Retry-After, AppErrors as problems, client
 * mistakes as 4xx, anything else a logged 500.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const requestId = currentRequestId();
    const send = (status: number, body: object) => {
      if (res.headersSent) return;
      res.status(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
    };

    const stored = storageFault(err);
    if (stored) noteStorageFault(logger, stored, err);
    const answer = stored ?? (err instanceof AppError ? err : undefined);
    if (answer) {
      for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
      return send(
        answer.status,
        problem(answer.status, answer.code, answer.message, requestId, answer.extras),
      );
    }
    if (err instanceof DependencyError) {
      const status = err.kind === 'unavailable' ? 503 : 502;
      return send(status, problem(status, err.code, err.message, requestId));
    }
    // The router throws a URIError (status 400, not marked expose) for a path like /api/order/%zz.
    if (err instanceof URIError) {
      return send(
        400,
        problem(400, 'invalid_path', 'The request path is not valid percent-encoding.', requestId),
      );
    }
    const parserError = typeof err?.type === 'string' ? BODY_PARSER_ERRORS[err.type] : undefined;
    if (parserError) {
      const [status, code, detail] = parserError;
      return send(status, problem(status, code, detail, requestId));
    }
    if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500 && err.expose) {
      return send(
        err.status,
        problem(err.status, 'bad_request', 'The request could not be processed.', requestId),
      );
    }
    logger.error({ err }, 'unhandled error');
    return send(500, problem(500, 'internal_error', 'An unexpected error occurred.', requestId));
  };
}
