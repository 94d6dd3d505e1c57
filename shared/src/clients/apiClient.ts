import {
  isErrorResponse,
  pathOf,
  type Api,
  type ClientResult,
  type Endpoint,
  type RequestInput,
} from '../contracts/endpoint.ts';
import { createHttpClient, NoAnswerError, type HttpAnswer, type HttpClientOptions } from './httpClient.ts';

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

/** The CallError for an answer outside 2xx: its status, and the problem `code` and `detail` it gave. */
function refusal(target: string, endpoint: Endpoint, { status, data }: HttpAnswer): CallError {
  const problem = data as { code?: unknown; detail?: unknown } | undefined;
  return new CallError(
    target,
    endpoint.operationId,
    status,
    typeof problem?.code === 'string' ? problem.code : undefined,
    typeof problem?.detail === 'string' ? problem.detail.slice(0, 300) : undefined,
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

  return {
    async call<K extends keyof A['endpoints'] & string>(
      name: K,
      ...[input]: Input<A['endpoints'][K]>
    ): Promise<ClientResult<A['endpoints'][K]>> {
      const endpoint = api.endpoints[name] as Endpoint;
      const given = (input ?? {}) as { params?: Record<string, unknown>; query?: object; body?: unknown };
      let answer: HttpAnswer;
      try {
        answer = await http.request({
          method: endpoint.method,
          path: pathOf(endpoint.path, given.params),
          query: given.query,
          body: given.body,
          // Marked idempotent by the contract: safe to repeat; otherwise the HTTP client decides by method.
          retrySafe: endpoint.idempotent || undefined,
        });
      } catch (error) {
        const code = error instanceof NoAnswerError ? error.code : undefined;
        throw new CallError(
          target,
          endpoint.operationId,
          undefined,
          code,
          code ? undefined : (error as Error).message,
        );
      }
      const { status, data } = answer;
      // Node's client never hands over a 1xx as the answer; anything else under 300 is checked below.
      if (status >= 300) throw refusal(target, endpoint, answer);
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
