import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { PROBLEM_CONTENT_TYPE, problem } from '../errors/problem.ts';
import { listenFailure } from './listenFailure.ts';

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to the timeout), then runs onClose. */
  close(): Promise<void>;
}

export interface StartServerOptions {
  port: number;
  host: string;
  /** The variable that set the port: a port in use then stops start-up with one line naming it. */
  portVariable?: string;
  logger: Logger;
  shutdownTimeoutMs?: number;
  /** Runs after the last request finished: stop workers, close the store. */
  onClose?: () => Promise<void> | void;
  /** Install SIGTERM/SIGINT handlers that close and exit (the service's main does; tests do not). */
  handleSignals?: boolean;
}

/**
 * Node answers a request it cannot parse (headers over 16 KB, broken HTTP) itself, with an empty
 * body; this gives that answer the problem shape every other error has.
 */
function answerUnparsableRequest(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, detail]: [number, string, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The request headers are too large.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request took too long to arrive.']
        : [400, 'bad_request', 'The request is not valid HTTP.'];
  const body = JSON.stringify(problem(status, code, detail));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export async function startServer(app: Express, options: StartServerOptions): Promise<RunningServer> {
  const { logger, shutdownTimeoutMs = 10_000 } = options;
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port, options.host, (error?: Error) => (error ? reject(error) : resolve(s)));
  }).catch((error: unknown) => {
    const { port, host, portVariable } = options;
    throw portVariable ? listenFailure(error, { port, host, portVariable }) : error;
  });
  server.on('clientError', answerUnparsableRequest);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), shutdownTimeoutMs);
      await drained;
      clearTimeout(timer);
      await options.onClose?.();
    })());

  if (options.handleSignals) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        logger.info({ signal }, 'shutting down');
        close().then(
          () => {
            logger.info('stopped');
            process.exit(0);
          },
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      });
    }
  }
  logger.info({ url }, 'listening');
  return { server, port, url, close };
}
