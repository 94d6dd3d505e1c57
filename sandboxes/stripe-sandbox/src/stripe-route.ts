import type { Request, RequestHandler, Response } from 'express';
import { StripeApiError, apiError } from './errors.ts';
import { canonicalJson, type SavedResponse } from './idempotency.ts';
import { newId } from './ids.ts';
import { sleep, type Fault } from './faults.ts';
import { SANDBOX_API_VERSION } from './state.ts';
import { baseUrlOf, type OperationContext } from './context.ts';
import type { SandboxCore } from './core.ts';
import type { Params } from './params.ts';

/** An API operation: returns the object to answer with (200) or throws a StripeApiError. */
export type Operation = (ctx: OperationContext, params: Params, req: Request) => unknown;

function requestParams(req: Request): Params {
  const source: unknown = req.method === 'GET' || req.method === 'DELETE' ? req.query : req.body;
  return source && typeof source === 'object' ? (source as Params) : {};
}

function send(res: Response, saved: SavedResponse, extraHeaders: Record<string, string> = {}): void {
  res.status(saved.status).set({
    'content-type': 'application/json',
    'request-id': saved.requestId,
    'stripe-version': SANDBOX_API_VERSION,
    ...extraHeaders,
  });
  res.send(saved.body);
}

function execute(
  core: SandboxCore,
  operation: Operation,
  req: Request,
  requestId: string,
  key: string | null,
) {
  const ctx: OperationContext = {
    state: core.state,
    baseUrl: baseUrlOf(req),
    settlementCurrency: core.settlementCurrency,
    emit: (type, object, thread) =>
      core.webhooks.record(type, object, thread, { id: requestId, idempotency_key: key }),
  };
  try {
    const body = operation(ctx, requestParams(req), req);
    return { status: 200, body: JSON.stringify(body, null, 2), requestId, save: true };
  } catch (error) {
    const known = error instanceof StripeApiError ? error : apiError('An unknown error occurred.');
    if (!(error instanceof StripeApiError)) console.error('stripe-sandbox: unexpected error', error);
    return {
      status: known.status,
      body: JSON.stringify(known.body, null, 2),
      requestId,
      save: known.executed,
    };
  }
}

/** A 500 from inside the endpoint: Stripe saves it under the idempotency key like any executed result. */
function failedDuringExecution(requestId: string) {
  const body = apiError('An unknown error occurred (injected by the sandbox).').body;
  return { status: 500, body: JSON.stringify(body, null, 2), requestId, save: true };
}

/** Answers the way an injected fault says: a 500, or nothing at all (the socket stays open). */
function failByFault(res: Response, fault: Fault, requestId: string): void {
  if (fault.mode === 'timeout') return;
  const body = apiError('An unknown error occurred (injected by the sandbox).').body;
  send(res, { status: 500, body: JSON.stringify(body, null, 2), requestId });
}

/**
 * Wraps an operation with what every Stripe endpoint does around it: injected faults, idempotency
 * keys on POST (replay, conflict, mismatch), request ids, and Stripe's JSON error bodies.
 */
export function stripeRoute(core: SandboxCore, operation: Operation): RequestHandler {
  return async (req, res) => {
    const requestId = newId('req');
    const fault = core.faults.take(req.method, req.originalUrl.split('?')[0] ?? req.path);
    if (fault?.when === 'before' && fault.mode !== 'slow') return failByFault(res, fault, requestId);

    const key = req.method === 'POST' ? (req.get('idempotency-key') ?? null) : null;
    let finish: ((saved: SavedResponse | null) => void) | undefined;
    if (key !== null) {
      try {
        const endpoint = `${req.method} ${req.originalUrl.split('?')[0]}`;
        const begun = core.idempotency.begin(req.get('authorization') ?? '', key, {
          endpoint,
          params: canonicalJson(requestParams(req)),
        });
        if (begun.kind === 'replay') {
          if (fault?.mode === 'slow') await sleep(fault.delay_ms, core.shutdown);
          return send(res, begun.response, {
            'idempotency-key': key,
            'idempotent-replayed': 'true',
            'original-request': begun.response.requestId,
          });
        }
        finish = begun.finish;
      } catch (error) {
        const known = error as StripeApiError;
        return send(res, { status: known.status, body: JSON.stringify(known.body, null, 2), requestId });
      }
    }

    if (fault?.when === 'before') await sleep(fault.delay_ms, core.shutdown); // slow: holds the key meanwhile
    const result =
      fault?.when === 'during' && fault.mode === 'error'
        ? failedDuringExecution(requestId)
        : execute(core, operation, req, requestId, key);
    finish?.(result.save ? { status: result.status, body: result.body, requestId } : null);

    if (fault?.when === 'after') {
      // The work is done and saved; only the answer is lost or late.
      if (fault.mode !== 'slow') return failByFault(res, fault, requestId);
      await sleep(fault.delay_ms, core.shutdown);
    }
    if (core.shutdown.aborted) return;
    send(res, result, key === null ? {} : { 'idempotency-key': key });
  };
}
