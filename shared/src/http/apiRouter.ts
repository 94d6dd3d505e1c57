import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { authorize, type TokenKeys } from '../auth/authenticate.ts';
import type { Principal } from '../auth/tokens.ts';
import type {
  Access,
  Api,
  Endpoint,
  ParsedRequest,
  SuccessBody,
  SuccessStatus,
} from '../contracts/endpoint.ts';
import {
  idempotencyKeyOf,
  idempotencyScope,
  requestFingerprint,
  runIdempotently,
  type IdempotencyOptions,
} from './idempotency.ts';
import { parseRequest } from './validate.ts';

/** What a handler answers: one of the endpoint's declared success statuses, with its body. */
export type Reply<E extends Endpoint> = {
  [S in SuccessStatus<E>]: { status: S; body: SuccessBody<E, S>; headers?: Record<string, string> };
}[SuccessStatus<E>];

type UserCaller = Extract<Principal, { kind: 'user' }>;
type ServiceCaller = Extract<Principal, { kind: 'service' }>;

/** Who can be calling an endpoint, as its `access` allows. */
export type CallerOf<A extends Access> = A extends 'public'
  ? undefined
  : A extends { services: readonly [unknown, ...unknown[]] }
    ? A extends { user: true }
      ? Principal
      : ServiceCaller
    : UserCaller;

export type HandlerInput<E extends Endpoint> = ParsedRequest<E> & {
  /** Who called (authorized by the endpoint's `access`); undefined only on public endpoints. */
  caller: CallerOf<E['access']>;
  req: Request;
  res: Response;
};

export type Handler<E extends Endpoint> = (input: HandlerInput<E>) => Reply<E> | Promise<Reply<E>>;

/** A handler with what the route needs beyond the contract. */
export interface Binding<E extends Endpoint> {
  handle: Handler<E>;
  /** Runs after authorization, before validation (e.g. rate limits). */
  before?: RequestHandler[];
  /**
   * The contract's body schema with rules that need this service's configuration (e.g. the default
   * currency), built from the contract's own schema; the contract stays what is documented.
   */
  body?: z.ZodType;
}

/** Every endpoint of the API with its handler: a missing or extra one is a type error. */
export type Implementation<A extends Api> = {
  [K in keyof A['endpoints']]: Handler<A['endpoints'][K]> | Binding<A['endpoints'][K]>;
};

function send(res: Response, reply: { status: number; body: unknown; headers?: Record<string, string> }) {
  if (reply.headers) res.set(reply.headers);
  res.status(reply.status);
  if (reply.body === undefined) res.end();
  else res.json(reply.body);
}

export interface ApiRouterOptions {
  /** Where endpoints marked `idempotencyKey` keep their keys; required when the API has any. */
  idempotency?: IdempotencyOptions;
}

/**
 * The routes of an API, in declaration order: each checks who calls (the endpoint's `access`),
 * validates params, query and body with the endpoint's schemas (every bad field in one 400), then
 * runs its handler and sends the status and body it returns. An endpoint marked `idempotencyKey`
 * runs its handler through the Idempotency-Key mechanism when the request carries the header.
 */
export function apiRouter<A extends Api>(
  api: A,
  implementation: Implementation<A>,
  keys: TokenKeys & { fingerprintSecret: string },
  options: ApiRouterOptions = {},
): Router {
  const router = Router();
  for (const [name, endpoint] of Object.entries(api.endpoints) as [string, Endpoint][]) {
    const idempotency = options.idempotency;
    if (endpoint.idempotencyKey && !idempotency)
      throw new Error(
        `${api.service}: ${endpoint.operationId} takes an Idempotency-Key but no key store was given`,
      );
    const bound = implementation[name as keyof A['endpoints']] as Handler<Endpoint> | Binding<Endpoint>;
    const binding: Binding<Endpoint> = typeof bound === 'function' ? { handle: bound } : bound;
    const schemas = {
      params: endpoint.params,
      query: endpoint.query,
      body: endpoint.rawBody ? undefined : (binding.body ?? endpoint.body),
    };
    router[endpoint.method](
      endpoint.path,
      authorize(keys, endpoint.access),
      ...(binding.before ?? []),
      async (req: Request, res: Response) => {
        const key = endpoint.idempotencyKey ? idempotencyKeyOf(req) : undefined;
        const parsed = parseRequest(req, schemas) as ParsedRequest<Endpoint>;
        const caller = res.locals.principal as Principal | undefined;
        const handle = () => binding.handle({ ...parsed, caller, req, res } as HandlerInput<Endpoint>);
        if (key === undefined || !idempotency) return send(res, await handle());
        const scope = idempotencyScope(endpoint, caller);
        send(
          res,
          await runIdempotently(
            idempotency,
            scope,
            key,
            requestFingerprint(parsed, keys.fingerprintSecret),
            handle,
          ),
        );
      },
    );
  }
  return router;
}

/** Paths whose body must reach the handler as raw bytes. */
export const rawBodyPaths = (api: Api): string[] =>
  Object.values(api.endpoints)
    .filter((e) => e.rawBody)
    .map((e) => e.path);
