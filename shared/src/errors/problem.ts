import { STATUS_CODES } from 'node:http';
import type { FieldError } from './AppError.ts';

/** The JSON error body every service answers with (RFC 9457 problem details plus `code`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  request_id?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problem(
  status: number,
  code: string,
  detail: string,
  requestId?: string,
  extras: Record<string, unknown> = {},
): Problem {
  return {
    ...extras,
    type: `urn:shop:problem:${code}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    code,
    detail,
    ...(requestId ? { request_id: requestId } : {}),
  };
}
