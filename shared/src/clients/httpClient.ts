import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosError, type AxiosInstance } from 'axios';
import axiosRetry, { exponentialDelay } from 'axios-retry';
import { currentRequestId } from '../logging/requestContext.ts';
import type { ServiceMetrics } from '../metrics/metrics.ts';

export interface HttpClientOptions {
  baseURL: string;
  /** Every call has a timeout; there is no way to turn it off. */
  timeoutMs: number;
  /** Name of the service called, for metrics and error messages. */
  target: string;
  /** Bearer token to send (e.g. a fresh service token); omitted when undefined. */
  token?: () => string | undefined;
  /** Retries for idempotent calls; 0 disables. */
  retries?: number;
  metrics?: ServiceMetrics;
}

const IDEMPOTENT = new Set(['get', 'head', 'options', 'put', 'delete']);

/**
 * Retries a call only when repeating it cannot do something twice: idempotent methods after a
 * network error, a timeout or a 5xx; any method when the connection was refused (the request never
 * reached the server).
 */
export function isSafeToRetry(error: AxiosError): boolean {
  if (error.code === 'ECONNREFUSED') return true;
  const method = error.config?.method?.toLowerCase() ?? '';
  if (!IDEMPOTENT.has(method)) return false;
  return !error.response || error.response.status >= 500;
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

/** An axios instance with a timeout, request-id propagation, safe retries and call metrics. */
export function createHttpClient(options: HttpClientOptions): AxiosInstance {
  const client = axios.create({
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    httpAgent,
    httpsAgent,
  });
  client.interceptors.request.use((config) => {
    const requestId = currentRequestId();
    if (requestId) config.headers.set('x-request-id', requestId);
    const token = options.token?.();
    if (token) config.headers.set('authorization', `Bearer ${token}`);
    (config as { startedAt?: number }).startedAt = performance.now();
    return config;
  });
  const observe = (method: string | undefined, status: number, startedAt: number | undefined) => {
    if (!options.metrics || startedAt === undefined) return;
    options.metrics.outboundDuration.observe(
      { target: options.target, method: (method ?? 'get').toUpperCase(), status: String(status) },
      (performance.now() - startedAt) / 1000,
    );
  };
  client.interceptors.response.use(
    (response) => {
      observe(response.config.method, response.status, (response.config as { startedAt?: number }).startedAt);
      return response;
    },
    (error: AxiosError) => {
      observe(
        error.config?.method,
        error.response?.status ?? 0,
        (error.config as { startedAt?: number } | undefined)?.startedAt,
      );
      return Promise.reject(error);
    },
  );
  axiosRetry(client, {
    retries: options.retries ?? 2,
    retryDelay: (count, error) => exponentialDelay(count, error, 50),
    retryCondition: isSafeToRetry,
    shouldResetTimeout: true,
  });
  return client;
}
