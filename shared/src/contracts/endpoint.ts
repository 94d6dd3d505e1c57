import type { z } from 'zod';

/** The shop's services: who serves an endpoint, and who may call one. */
export const SERVICE_NAMES = [
  'user-service',
  'order-service',
  'payment-service',
  'notification-service',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * Who may call an endpoint: anyone (`public`), or the callers named - a signed-in user (who then
 * reaches only their own data, checked by the use case) and/or the services listed by name.
 */
export type Access = 'public' | { user?: true; services?: readonly ServiceName[] };

/** A success answer: its schema (none for an empty body) and an example for the docs. */
export interface SuccessResponse {
  description: string;
  schema?: z.ZodType;
  example?: unknown;
}

/** An error answer: always the problem shape; `codes` are the `code` values it can carry. */
export interface ErrorResponse {
  description: string;
  codes: readonly string[];
}

export interface HeaderParameter {
  name: string;
  description: string;
  required?: boolean;
}

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * One endpoint, declared once: from it come the route (path, authorization, validation), the
 * OpenAPI operation and the typed client other services call it with.
 */
export interface Endpoint {
  /** Unique across the shop; the OpenAPI operationId. */
  operationId: string;
  method: Method;
  /** Express-style path, with `:name` parameters, e.g. `/api/things/:id`. */
  path: string;
  /** Groups the operation in the docs (e.g. `orders`, `payments`). */
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The body stays raw bytes (a webhook whose signature covers them); `body` must be unset. */
  rawBody?: true;
  headers?: readonly HeaderParameter[];
  /**
   * Repeating the same request changes nothing more (e.g. a status move already made answers the
   * same 200): clients may retry it after a timeout or a 5xx, whatever its method.
   */
  idempotent?: true;
  /**
   * Honours an `Idempotency-Key` request header (see shared/src/http/idempotency.ts): a retry with
   * the same key and request gets the first answer replayed instead of doing the work again.
   */
  idempotencyKey?: true;
  /** Per status: 2xx answers with their schema, 4xx/5xx with the problem codes they carry. */
  responses: Record<number, SuccessResponse | ErrorResponse>;
}

/** A service's API: its endpoints by name, and what its OpenAPI document says about it. */
export interface Api<E extends Record<string, Endpoint> = Record<string, Endpoint>> {
  /** The serving service, e.g. `order-service`. */
  service: string;
  description: string;
  endpoints: E;
}

/** Declares an endpoint, keeping its exact type (schemas, statuses) for routes and clients. */
export const endpoint = <const E extends Endpoint>(declaration: E): E => declaration;

export const defineApi = <const E extends Record<string, Endpoint>>(api: Api<E>): Api<E> => api;

/** The statuses of an endpoint's success answers. */
export type SuccessStatus<E extends Endpoint> = {
  [S in keyof E['responses']]: S extends number ? (`${S}` extends `2${string}` ? S : never) : never;
}[keyof E['responses']];

/** What a success answer carries: the input type of its schema (undefined when it has none). */
export type SuccessBody<E extends Endpoint, S extends keyof E['responses']> = E['responses'][S] extends {
  schema: infer T extends z.ZodType;
}
  ? z.input<T>
  : undefined;

type Part<
  E extends Endpoint,
  K extends 'params' | 'query' | 'body',
  Dir extends 'in' | 'out',
> = E[K] extends z.ZodType ? (Dir extends 'in' ? z.input<E[K]> : z.output<E[K]>) : undefined;

/** A request as a caller sends it (the schemas' input types). */
export type RequestInput<E extends Endpoint> = {
  [K in 'params' | 'query' | 'body' as E[K] extends z.ZodType ? K : never]: Part<E, K, 'in'>;
};

/** A request after validation (the schemas' output types). */
export interface ParsedRequest<E extends Endpoint> {
  params: Part<E, 'params', 'out'>;
  query: Part<E, 'query', 'out'>;
  body: Part<E, 'body', 'out'>;
}

/** The parsed body of the endpoint's first 2xx answer: what a client call resolves to. */
export type ClientResult<E extends Endpoint> = {
  [S in SuccessStatus<E>]: E['responses'][S] extends { schema: infer T extends z.ZodType }
    ? z.output<T>
    : undefined;
}[SuccessStatus<E>];

export const isErrorResponse = (response: SuccessResponse | ErrorResponse): response is ErrorResponse =>
  'codes' in response;

/** The path with its parameters filled in (each percent-encoded). */
export function pathOf(path: string, params: Record<string, unknown> = {}): string {
  return path.replace(/:(\w+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`path ${path} needs parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}
