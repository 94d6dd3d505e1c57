import { Agent as HttpAgent, request, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { urlToHttpOptions } from 'node:url';
import { currentRequestId } from '../logging/requestContext.ts';
import type { ServiceMetrics } from '../metrics/metrics.ts';
import { backoffDelay } from '../workers/backoff.ts';

export interface HttpClientOptions {
  baseURL: string;
  /** Every attempt has a timeout, from sending the request to the end of the answer; it cannot be turned off. */
  timeoutMs: number;
  /** Name of the service called, for metrics and error messages. */
  target: string;
  /** Bearer token to send (e.g. a fresh service token); omitted when undefined. */
  token?: () => string | undefined;
  /** How many times a failed call may be repeated where that is safe (see `request`); 0 disables. */
  retries?: number;
  metrics?: ServiceMetrics;
}

export interface OutboundRequest {
  method: string;
  /** Path under the base URL, already encoded. */
  path: string;
  /** Query parameters; undefined values are left out, arrays repeat the key. */
  query?: object;
  /** Sent as JSON. */
  body?: unknown;
  /**
   * Whether repeating the call after a timeout, a reset connection or a 5xx cannot do something
   * twice. Defaults to true for GET, HEAD, OPTIONS, PUT and DELETE.
   */
  retrySafe?: boolean;
}

/** Any HTTP answer, 2xx or not: what it means is the caller's to decide. */
export interface HttpAnswer {
  status: number;
  /** The body parsed as JSON; the text itself when it is not JSON; undefined when empty. */
  data: unknown;
}

/**
 * A call that got no answer: the connection was refused or reset, or the attempt timed out.
 * It names the call and the network error only (no headers, so no token), so it is safe to log.
 */
export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
  constructor(
    readonly target: string,
    readonly method: string,
    readonly url: string,
    /** The network error's code: ECONNREFUSED, ECONNRESET, ETIMEDOUT (our timeout), ... */
    readonly code: string,
    /** How many attempts were made, retries included. */
    readonly attempts: number,
  ) {
    super(
      `${method} ${url} (${target}): no answer (${code}) after ${attempts} attempt${attempts === 1 ? '' : 's'}`,
    );
  }
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** A peer's answer is read into memory; one larger than this is cut off as no answer. */
const MAX_ANSWER_BYTES = 5 * 1024 * 1024;

/** Delay before retry n (1, 2, ...): 100 ms, 200 ms, ... plus up to 20% so callers do not retry in step. */
export function retryDelayMs(retry: number): number {
  const delay = backoffDelay(retry, { baseMs: 100, maxMs: Infinity });
  return delay + delay * 0.2 * Math.random();
}

/**
 * Connections to the other services are kept open and reused (Node's default agent does so since
 * Node 19; said here so it cannot silently change): a new TCP connection per call cost a handshake
 * on both sides, on every hop of a payment. An idle connection is closed by the client after 4 s,
 * before the server's 5 s keep-alive timeout, so a call never goes out on a socket being closed.
 */
const agentOptions = { keepAlive: true, timeout: 4_000 };
const httpAgent = new HttpAgent(agentOptions);
const httpsAgent = new HttpsAgent(agentOptions);

/**
 * A JSON-over-HTTP client for calls between the services, on Node's own `http` module: a timeout
 * per attempt, the request id and a bearer token on every call, safe retries and call metrics.
 * It replaced axios, whose per-call work (config merging, interceptors, redirect handling) cost
 * about 200 µs of CPU per call more than the call itself (bench/README.md).
 *
 * Retries, at most `retries`: any call whose connection was refused (it never reached the
 * server); a `retrySafe` call also after a timeout, a reset connection or a 5xx. A 5xx that is
 * still there after the last retry is the answer.
 */
export function createHttpClient(options: HttpClientOptions) {
  const base = new URL(options.baseURL);
  const basePath = base.pathname.replace(/\/$/, '');
  const { protocol, hostname, port } = urlToHttpOptions(base);
  // The agent makes the connection: a TLS one from the https agent (http.request accepts either).
  const agent = base.protocol === 'https:' ? httpsAgent : httpAgent;
  const retries = options.retries ?? 2;

  const observe = (method: string, status: number, startedAt: number) =>
    options.metrics?.outboundDuration.observe(
      { target: options.target, method, status: String(status) },
      (performance.now() - startedAt) / 1000,
    );

  function attempt(method: string, path: string, payload: string | undefined): Promise<HttpAnswer> {
    const headers: Record<string, string | number> = { accept: 'application/json' };
    const requestId = currentRequestId();
    if (requestId) headers['x-request-id'] = requestId;
    const token = options.token?.();
    if (token) headers.authorization = `Bearer ${token}`;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    const startedAt = performance.now();
    return new Promise<HttpAnswer>((resolve, reject) => {
      let timeout: Error | undefined;
      // Once the timeout has fired, whatever broke off (connection, answer) failed because of it.
      const fail = (error: unknown) => reject(timeout ?? error);
      const req = request({ protocol, hostname, port, path, method, headers, agent }, (res) =>
        collect(res).then(resolve, fail),
      );
      const timer = setTimeout(() => {
        timeout = networkError('ETIMEDOUT');
        req.destroy(timeout);
      }, options.timeoutMs);
      req.once('close', () => clearTimeout(timer));
      req.once('error', fail);
      req.end(payload);
    }).then(
      (answer) => {
        observe(method, answer.status, startedAt);
        return answer;
      },
      (error: unknown) => {
        observe(method, 0, startedAt);
        throw error;
      },
    );
  }

  return {
    async request(call: OutboundRequest): Promise<HttpAnswer> {
      const method = call.method.toUpperCase();
      const path = basePath + call.path + queryString(call.query);
      const payload = JSON.stringify(call.body) as string | undefined; // undefined without a body
      const retrySafe = call.retrySafe ?? IDEMPOTENT.has(method);
      for (let made = 1; ; made++) {
        let answer: HttpAnswer;
        try {
          answer = await attempt(method, path, payload);
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          // Only a network error is no answer; any other (a token that cannot be made) is thrown as it is.
          if (typeof code !== 'string') throw error;
          if (made > retries || !(code === 'ECONNREFUSED' || retrySafe)) {
            throw new NoAnswerError(options.target, method, `${base.origin}${path}`, code, made);
          }
          await sleep(retryDelayMs(made));
          continue;
        }
        if (answer.status < 500 || !retrySafe || made > retries) return answer;
        await sleep(retryDelayMs(made));
      }
    },
  };
}

export type HttpClient = ReturnType<typeof createHttpClient>;

function networkError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

function queryString(query: object | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const one of Array.isArray(value) ? value : [value]) search.append(key, String(one));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Reads the whole answer; a socket that breaks off mid-answer rejects like no answer. */
function collect(res: IncomingMessage): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES) return void res.destroy(networkError('ERR_ANSWER_TOO_LARGE'));
      chunks.push(chunk);
    });
    // An answer that breaks off (the peer reset it, or it passed MAX_ANSWER_BYTES) ends in 'error'
    // (ECONNRESET, or the error it was destroyed with), never in 'end'; the timeout ends the rest.
    res.once('error', reject);
    res.once('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: res.statusCode ?? 0, data: parseBody(text) });
    });
  });
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
