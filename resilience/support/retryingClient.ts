import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RetriedAnswer<T = unknown> {
  status: number;
  body: T;
  replayed: boolean;
  attempts: number;
}

export interface RetryOptions {
  token: string;
  body?: unknown;
  /** One key per intended operation, sent with every try. */
  key: string;
  /** Each try is given up after this long, as a mobile client's HTTP library would. */
  timeoutMs: number;
  /** The first try is sent whole and the connection closed before its answer is read. */
  loseFirstAnswer?: boolean;
  maxAttempts?: number;
}

/** Sends the whole request, then hangs up without reading: the answer is lost on the way back. */
function sendAndHangUp(url: string, method: string, headers: Record<string, string>, body?: string) {
  return new Promise<void>((resolve) => {
    const req = httpRequest(url, { method, headers });
    req.on('error', () => resolve());
    req.end(body, () => {
      req.destroy();
      resolve();
    });
  });
}

/**
 * A client that retries a write on whatever leaves its outcome unknown - a timeout, a dropped
 * connection, a 5xx, or "still in progress" - with the same Idempotency-Key, until an answer comes.
 */
export async function retryingWrite<T = unknown>(
  method: string,
  url: string,
  options: RetryOptions,
): Promise<RetriedAnswer<T>> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.token}`,
    'idempotency-key': options.key,
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  };
  const maxAttempts = options.maxAttempts ?? 40;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) await sleep(200);
    if (attempt === 1 && options.loseFirstAnswer) {
      await sendAndHangUp(url, method, headers, body);
      continue;
    }
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs) });
    } catch {
      continue; // timed out or the connection failed: the outcome is unknown, try again
    }
    const text = await res.text().catch(() => undefined);
    if (text === undefined) continue;
    const parsed = (text ? JSON.parse(text) : undefined) as T & { code?: string };
    if (res.status >= 500 || parsed?.code === 'idempotency_request_in_progress') continue;
    return {
      status: res.status,
      body: parsed,
      replayed: res.headers.get('idempotent-replayed') === 'true',
      attempts: attempt,
    };
  }
  throw new Error(`${method} ${url} got no final answer in ${maxAttempts} tries`);
}
