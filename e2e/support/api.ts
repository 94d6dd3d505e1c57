import { waitUntil } from '@shop/shared/testing';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A JSON call over real HTTP, as Postman or curl would make it. */
export async function call<T = any>(
  method: string,
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

/** Polls `probe` until it returns a truthy value; whole-system steps get up to 20 s. */
export const eventually = <T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
) => waitUntil(probe, { what, timeoutMs, intervalMs: 100 });
