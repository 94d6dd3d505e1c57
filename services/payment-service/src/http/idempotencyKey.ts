import type { Request } from 'express';
import { AppError, validationFailed } from '@shop/shared';
import type { IdempotencyStore } from '../data/paymentStore.ts';
import type { KeyedLock } from '../domain/keyedLock.ts';

/** Visible ASCII, as Stripe and the IETF Idempotency-Key draft allow, up to Stripe's 255 characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED = { 'Idempotent-Replayed': 'true' };

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

interface Answer<T> {
  status: number;
  body: T;
  headers?: Record<string, string>;
}

type Saved<T> =
  | { kind: 'result'; status: number; body: T }
  | { kind: 'error'; status: number; code: string; message: string; extras: Record<string, unknown> };

/**
 * Runs `work` once per (caller, Idempotency-Key): the first answer (a result or a client error such
 * as a decline) is kept and replayed, marked `Idempotent-Replayed`, for repeats with the same request;
 * the key with another request is a 422. 5xx answers are not kept: their outcome is unknown and the
 * repeat must do the work again (safely: the work is idempotent underneath).
 */
export async function withIdempotencyKey<A extends Answer<unknown>>(
  deps: { store: IdempotencyStore; locks: KeyedLock },
  scope: string,
  key: string | undefined,
  fingerprint: string,
  work: () => Promise<A>,
): Promise<A> {
  if (key === undefined) return work();
  return deps.locks.run(`idempotency-key:${scope}:${key}`, async () => {
    const found = deps.store.get(scope, key);
    if (found) {
      if (found.fingerprint !== fingerprint) {
        throw new AppError(
          422,
          'idempotency_key_reused',
          'This Idempotency-Key was used with another request body; use a new key for a new request.',
        );
      }
      const saved = JSON.parse(found.response) as Saved<A['body']>;
      if (saved.kind === 'result')
        return { status: saved.status, body: saved.body, headers: REPLAYED } as unknown as A;
      throw new AppError(saved.status, saved.code, saved.message, saved.extras, REPLAYED);
    }
    const save = (saved: Saved<A['body']>) =>
      deps.store.save(scope, key, fingerprint, JSON.stringify(saved), Date.now());
    try {
      const answer = await work();
      save({ kind: 'result', status: answer.status, body: answer.body });
      return answer;
    } catch (error) {
      if (error instanceof AppError && error.status < 500) {
        save({
          kind: 'error',
          status: error.status,
          code: error.code,
          message: error.message,
          extras: error.extras,
        });
      }
      throw error;
    }
  });
}
