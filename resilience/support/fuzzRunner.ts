import type { FuzzRequest } from './fuzzRequests.ts';
import { isProblem } from './securityChecks.ts';

export interface FuzzOutcome {
  request: FuzzRequest;
  /** 0 when no HTTP answer came at all (connection reset: the service died or hung). */
  status: number;
  contentType: string;
  text: string;
}

/** Sends one request exactly as built (raw body, any content type) to the real process. */
export async function sendRaw(baseUrl: string, request: FuzzRequest): Promise<FuzzOutcome> {
  try {
    const res = await fetch(baseUrl + request.target, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(30_000),
    });
    return {
      request,
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      text: await res.text(),
    };
  } catch (error) {
    return { request, status: 0, contentType: '', text: String(error) };
  }
}

/** Runs `work` over `items` with at most `concurrency` in flight, keeping the order of the items. */
export async function mapBounded<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Why an answer breaks the property (5xx, no answer, a 4xx that is not a problem document), or null. */
export function violation(outcome: FuzzOutcome): string | null {
  if (outcome.status === 0) return `no answer: ${outcome.text}`;
  if (outcome.status >= 500) return `${outcome.status}`;
  if (outcome.status >= 400) {
    let body: unknown;
    try {
      body = JSON.parse(outcome.text);
    } catch {
      return `${outcome.status} with a body that is not JSON`;
    }
    if (!outcome.contentType.startsWith('application/problem+json') || !isProblem(body, outcome.status))
      return `${outcome.status} without the problem shape`;
  }
  return null;
}

/** One failing request, short enough for an assertion message and complete enough to replay. */
export function describeFailure(outcome: FuzzOutcome, why: string): string {
  const { method, target, headers, body, attack } = outcome.request;
  return `${why} <- [${attack}] ${method} ${target.slice(0, 300)} headers=${JSON.stringify(headers).slice(0, 300)} body=${(body ?? '').slice(0, 300)} answer=${outcome.text.slice(0, 300)}`;
}
