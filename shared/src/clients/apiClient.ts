import { AxiosError, type AxiosRequestConfig } from 'axios';
import {
  isErrorResponse,
  pathOf,
  type Api,
  type ClientResult,
  type Endpoint,
  type RequestInput,
} from '../contracts/endpoint.ts';
import { createHttpClient, type HttpClientOptions } from './httpClient.ts';

/**
 * A call to another service that did not give a result. `status` is its HTTP status, or undefined
 * when no answer came (refused, timed out); `code` is the problem `code` it answered with.
 * It carries no request details (a service token travels in them), so it is safe to log.
 */
export class CallError extends Error {
  override name = 'CallError';
  constructor(
    readonly target: string,
    readonly operationId: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    readonly detail: string | undefined,
  ) {
    const answer = status === undefined ? `no answer (${code ?? 'unknown'})` : `answered ${status}`;
    super(
      `${target} ${operationId} ${answer}${status !== undefined && code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`,
    );
  }
}

/**
 * Answers a retry cannot change: the request is wrong (400, 422), what it names is gone (404, 410)
 * or in a state that refuses it (409). Retry loops stop at these; other failures are retried.
 */
export function isPermanentRefusal(status: number | undefined): boolean {
  return status !== undefined && PERMANENT_REFUSALS.has(status);
}
const PERMANENT_REFUSALS = new Set([400, 404, 409, 410, 422]);

const IDEMPOTENT_METHODS = new Set(['get', 'put', 'delete']);

function callError(target: string, endpoint: Endpoint, error: unknown): CallError {
  if (!(error instanceof AxiosError)) {
    return new CallError(target, endpoint.operationId, undefined, undefined, (error as Error).message);
  }
  const data = error.response?.data as { code?: unknown; detail?: unknown } | undefined;
  if (!error.response) return new CallError(target, endpoint.operationId, undefined, error.code, undefined);
  return new CallError(
    target,
    endpoint.operationId,
    error.response.status,
    typeof data?.code === 'string' ? data.code : undefined,
    typeof data?.detail === 'string' ? data.detail.slice(0, 300) : undefined,
  );
}

type Input<E extends Endpoint> = keyof RequestInput<E> extends never
  ? [input?: RequestInput<E>]
  : [input: RequestInput<E>];

/**
 * The typed client of another service's API: `call('getOrder', { params: { id } })` sends what the
 * endpoint declares and resolves to its answer, parsed by the contract's schema. A failure rejects
 * with a CallError. Calls are retried (after no answer or a 5xx) only where repeating them is safe:
 * idempotent methods and endpoints the contract marks `idempotent`; any call whose connection was
 * refused, since it never reached the service.
 */
export function createApiClient<A extends Api>(api: A, options: Omit<HttpClientOptions, 'target'>) {
  const target = api.service;
  const http = createHttpClient({ ...options, target });
  const retries = options.retries ?? 2;

  return {
    async call<K extends keyof A['endpoints'] & string>(
      name: K,
      ...[input]: Input<A['endpoints'][K]>
    ): Promise<ClientResult<A['endpoints'][K]>> {
      const endpoint = api.endpoints[name] as Endpoint;
      const given = (input ?? {}) as { params?: Record<string, unknown>; query?: object; body?: unknown };
      const retrySafe = endpoint.idempotent === true || IDEMPOTENT_METHODS.has(endpoint.method);
      const config: AxiosRequestConfig = {
        method: endpoint.method,
        url: pathOf(endpoint.path, given.params),
        params: given.query,
        data: given.body,
        ...(retrySafe
          ? { 'axios-retry': { retries, retryCondition: (e) => !e.response || e.response.status >= 500 } }
          : {}),
      };
      let status: number;
      let data: unknown;
      try {
        ({ status, data } = await http.request(config));
      } catch (error) {
        throw callError(target, endpoint, error);
      }
      const response = endpoint.responses[status];
      if (!response || isErrorResponse(response)) {
        throw new CallError(target, endpoint.operationId, status, 'unexpected_status', undefined);
      }
      if (!response.schema) return undefined as ClientResult<A['endpoints'][K]>;
      const parsed = response.schema.safeParse(data);
      if (!parsed.success) {
        throw new CallError(target, endpoint.operationId, status, 'malformed_answer', parsed.error.message);
      }
      return parsed.data as ClientResult<A['endpoints'][K]>;
    },
  };
}

export type ApiClient<A extends Api> = ReturnType<typeof createApiClient<A>>;
