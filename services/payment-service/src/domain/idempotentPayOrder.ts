import { AppError } from '@shop/shared';
import type { Payment } from '@shop/shared/contracts';
import type { PaymentsContext } from './context.ts';
import { payOrder, type PayOrderInput } from './payOrder.ts';
import { toPayment } from './paymentView.ts';

/** Stripe keeps idempotency keys for 24 hours; so does this service. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface PayOrderResponse {
  status: 200 | 201 | 202;
  body: Payment;
  replayed: boolean;
}

type Saved =
  | { kind: 'result'; status: 200 | 201 | 202; body: Payment }
  | { kind: 'error'; status: number; code: string; message: string; extras: Record<string, unknown> };

const REPLAYED = { 'Idempotent-Replayed': 'true' };

function replay(saved: Saved): PayOrderResponse {
  if (saved.kind === 'result') return { status: saved.status, body: saved.body, replayed: true };
  throw new AppError(saved.status, saved.code, saved.message, saved.extras, REPLAYED);
}

/**
 * pay-order with an optional client Idempotency-Key: the first answer to a key (a result or a client
 * error such as a decline) is kept and replayed for repeats with the same body, so a repeat of a
 * declined call does not try the card again. 5xx answers are not kept: their outcome is unknown and
 * the repeat must do the work (safely, through the order's own idempotency keys).
 */
export async function payOrderWithKey(
  ctx: PaymentsContext,
  userId: string,
  input: PayOrderInput,
  key: string | undefined,
): Promise<PayOrderResponse> {
  if (key === undefined) {
    const result = await payOrder(ctx, userId, input);
    return { status: result.status, body: toPayment(result.payment), replayed: false };
  }
  const fingerprint = JSON.stringify([input.order_id, input.payment_method ?? null]);
  return ctx.locks.run(`idempotency-key:${userId}:${key}`, async () => {
    const found = ctx.store.idempotency.get(userId, key);
    if (found) {
      if (found.fingerprint !== fingerprint) {
        throw new AppError(
          422,
          'idempotency_key_reused',
          'This Idempotency-Key was used with another request body; use a new key for a new request.',
        );
      }
      return replay(JSON.parse(found.response) as Saved);
    }
    const save = (saved: Saved) =>
      ctx.store.idempotency.save(userId, key, fingerprint, JSON.stringify(saved), Date.now());
    try {
      const result = await payOrder(ctx, userId, input);
      const body = toPayment(result.payment);
      save({ kind: 'result', status: result.status, body });
      return { status: result.status, body, replayed: false };
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
