import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/** Probes answered too often to log (the orchestrator and Prometheus call them every few seconds). */
const UNLOGGED = new Set(['/health', '/ready', '/metrics']);

/**
 * One line per request once it is answered (or the client went away): method, URL, route pattern,
 * status and duration, plus the request id the logger adds. Level: error for a 5xx, warn for a 4xx
 * or an aborted request, info otherwise. It replaces pino-http, whose per-request child logger and
 * serializers cost more than the line itself (bench/README.md).
 */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (UNLOGGED.has(req.path)) return next();
    const startedAt = performance.now();
    // 'close' comes once per response, after 'finish' when it was sent, alone when the client left.
    res.once('close', () => {
      const finished = res.writableFinished;
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 || !finished ? 'warn' : 'info';
      logger[level](
        {
          method: req.method,
          url: req.originalUrl,
          route: req.route ? `${req.baseUrl}${String(req.route.path)}` : undefined,
          status,
          duration_ms: Math.round((performance.now() - startedAt) * 100) / 100,
        },
        finished ? 'request completed' : 'request aborted',
      );
    });
    next();
  };
}
