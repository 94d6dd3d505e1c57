import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: unknown;
  /** Builds each request's body (e.g. a new order id per pay-order call). */
  nextBody?: () => unknown;
  /** Builds each request's path (e.g. ids spread over the table). */
  nextPath?: () => string;
  /** Builds each request's path and headers together (e.g. one of many users and their own order). */
  nextRequest?: () => { path: string; headers: Record<string, string> };
  durationSec: number;
  connections: number;
  /** Caps the total rate (a latency probe beside a storm), in requests per second. */
  overallRate?: number;
}

export interface LoadResult {
  requests: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors, timeouts and non-2xx answers: anything but a success counts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** How many answers came back with each status code (the "why" of any error). */
  statuses: Record<string, number>;
  durationSec: number;
}

/** Runs autocannon for a bounded time against one endpoint and reduces its result to what we report. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const headers = {
    ...(spec.body !== undefined || spec.nextBody ? { 'content-type': 'application/json' } : {}),
    ...spec.headers,
  };
  const statuses: Record<string, number> = {};
  const { nextBody, nextPath, nextRequest } = spec;
  let finish: (error: Error | null, result: autocannon.Result) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (error, result) => (error ? reject(error) : resolve(result));
  });
  const instance = autocannon(
    {
      url: spec.url,
      method: spec.method ?? 'GET',
      headers,
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      duration: spec.durationSec,
      connections: spec.connections,
      timeout: 10,
      ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
      ...(nextBody || nextPath || nextRequest
        ? {
            requests: [
              {
                setupRequest: (req) => {
                  const next = nextRequest?.();
                  return {
                    ...req,
                    ...(nextBody ? { body: JSON.stringify(nextBody()) } : {}),
                    ...(nextPath ? { path: nextPath() } : {}),
                    ...(next ? { path: next.path, headers: { ...req.headers, ...next.headers } } : {}),
                  };
                },
              },
            ],
          }
        : {}),
    },
    (error, result) => finish(error, result),
  );
  instance.on('response', (_client, statusCode) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await done;
  const requests = result.requests.total;
  if (result.errors > 0) statuses.socket_error = result.errors - result.timeouts;
  if (result.timeouts > 0) statuses.timeout = result.timeouts;
  return {
    requests,
    requestsPerSec: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statuses,
    durationSec: result.duration,
  };
}
