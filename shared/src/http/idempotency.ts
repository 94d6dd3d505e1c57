import { createHmac } from 'node:crypto';
import type { Request } from 'express';
import type { Principal } from '../auth/tokens.ts';
import type { Endpoint } from '../contracts/endpoint.ts';
import type { IdempotencyKeys } from '../db/idempotencyKeys.ts';
import { AppError, validationFailed } from '../errors/AppError.ts';

/** Visible ASCII, as Stripe and the IETF Idempotency-Key draft allow, up to Stripe's 255 characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
export const REPLAYED_HEADER = 'Idempotent-Replayed';
const REPLAYED = { [REPLAYED_HEADER]: 'true' };
/** Stripe keeps keys for 24 hours; so does the shop unless configured otherwise. */
export const DEFAULT_IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
/**
 * How long an unfinished first request holds its key: longer than any request runs (outbound calls
 * time out well before), so only a record left by a crash outlives it and is then taken over.
 */
export const IDEMPOTENCY_LEASE_MS = 2 * 60 * 1000;
/** Old keys are purged on a write at most this often (the purge is one indexed DELETE). */
const PURGE_EVERY_MS = 60 * 1000;

export interface IdempotencyOptions {
  keys: IdempotencyKeys;
  /** How long a key and its answer are kept. */
  retentionMs: number;
  now?: () => number;
}

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Saved =
  | { kind: 'result'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'error'; status: number; code: string; message: string; extras: Record<string, unknown> };

/** The key sent with the request, checked; undefined when none was sent. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw validationFailed([
      { in: 'header', field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return key;
}

/** Keys belong to their caller and endpoint: another user's identical key is another key. */
export function idempotencyScope(endpoint: Endpoint, caller: Principal | undefined): string {
  const who = !caller
    ? 'anonymous'
    : caller.kind === 'user'
      ? `user:${caller.userId}`
      : `service:${caller.service}`;
  return `${who} ${endpoint.method.toUpperCase()} ${endpoint.path}`;
}

/**
 * What makes two requests "the same": their validated path parameters, query and body (what the
 * contract's schemas kept of them, so a body an endpoint does not take plays no part), as canonical
 * JSON. Keyed with a server secret (derived from the service's signing key: fingerprintSecretOf): a
 * body may hold a password (register), and a stolen database alone must not allow guessing it from a
 * plain hash.
 */
export function requestFingerprint(
  parts: { params?: unknown; query?: unknown; body?: unknown },
  secret: string,
): string {
  return createHmac('sha256', secret)
    .update(
      canonicalJson({ params: parts.params ?? null, query: parts.query ?? null, body: parts.body ?? null }),
    )
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const keyReused = () =>
  new AppError(
    422,
    'idempotency_key_reused',
    'This Idempotency-Key was used with another request; use a new key for a new request.',
  );
const inProgress = () =>
  new AppError(
    409,
    'idempotency_request_in_progress',
    'A request with this Idempotency-Key is still being processed; retry later for its answer.',
  );

function replay(saved: Saved): Answer {
  if (saved.kind === 'result')
    return { status: saved.status, body: saved.body, headers: { ...saved.headers, ...REPLAYED } };
  throw new AppError(saved.status, saved.code, saved.message, saved.extras, REPLAYED);
}

/** Client errors are answers too (a decline stays a decline); 5xx are not: a retry runs again. */
const storableError = (error: unknown): error is AppError => error instanceof AppError && error.status < 500;
const savedError = (e: AppError): Saved => ({
  kind: 'error',
  status: e.status,
  code: e.code,
  message: e.message,
  extras: e.extras,
});
const savedResult = (a: Answer): Saved => ({
  kind: 'result',
  status: a.status,
  body: a.body,
  headers: a.headers,
});

const isPromise = (value: unknown): value is Promise<Answer> =>
  typeof (value as Promise<Answer> | undefined)?.then === 'function';

type Step =
  | { kind: 'answer'; answer: Answer }
  | { kind: 'error'; error: unknown }
  | { kind: 'running'; promise: Promise<Answer> };

const lastPurge = new WeakMap<IdempotencyKeys, number>();

/**
 * Runs `handle` once per (scope, key), as Stripe does: the first answer (a success or a 4xx) is
 * saved and replayed, marked `Idempotent-Replayed: true`, for a repeat of the same request; the key
 * with another request is a 422 `idempotency_key_reused`; a repeat while the first still runs is a
 * 409 `idempotency_request_in_progress`; 5xx answers are not saved.
 *
 * Everything up to the handler's first `await` runs in one IMMEDIATE transaction with the key's
 * record: a synchronous handler (a local SQLite write) commits together with its saved answer, so a
 * crash cannot keep one without the other. An asynchronous handler commits the key as in progress
 * first and saves the answer when it ends; a crash in between leaves the key in progress until its
 * lease runs out, and the retry then relies on the use case's own idempotency.
 */
export async function runIdempotently(
  options: IdempotencyOptions,
  scope: string,
  key: string,
  fingerprint: string,
  handle: () => Answer | Promise<Answer>,
): Promise<Answer> {
  const { keys, retentionMs } = options;
  const now = (options.now ?? Date.now)();
  const save = (saved: Saved) => keys.save(scope, key, fingerprint, JSON.stringify(saved), now);
  const step = keys.transaction((): Step => {
    purgeNowAndThen(keys, now, retentionMs);
    const found = keys.find(scope, key);
    if (found && found.createdAt > now - retentionMs) {
      if (found.fingerprint !== fingerprint) return { kind: 'error', error: keyReused() };
      if (found.response !== null)
        return { kind: 'answer', answer: replay(JSON.parse(found.response) as Saved) };
      if (found.createdAt > now - IDEMPOTENCY_LEASE_MS) return { kind: 'error', error: inProgress() };
    }
    let outcome: Answer | Promise<Answer>;
    try {
      outcome = handle();
    } catch (error) {
      if (!storableError(error)) throw error; // rolls back the handler's writes with the key
      save(savedError(error));
      return { kind: 'error', error };
    }
    if (isPromise(outcome)) {
      keys.reserve(scope, key, fingerprint, now);
      return { kind: 'running', promise: outcome };
    }
    save(savedResult(outcome));
    return { kind: 'answer', answer: outcome };
  });
  if (step.kind === 'error') throw step.error;
  if (step.kind === 'answer') return step.answer;
  try {
    const answer = await step.promise;
    keys.transaction(() => save(savedResult(answer)));
    return answer;
  } catch (error) {
    if (storableError(error)) keys.transaction(() => save(savedError(error)));
    else keys.transaction(() => keys.release(scope, key));
    throw error;
  }
}

function purgeNowAndThen(keys: IdempotencyKeys, now: number, retentionMs: number) {
  if (now - (lastPurge.get(keys) ?? 0) < PURGE_EVERY_MS) return;
  lastPurge.set(keys, now);
  keys.purge(now - retentionMs);
}
