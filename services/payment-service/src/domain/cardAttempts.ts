import { AppError } from '@shop/shared';
import type { PaymentRecord, PaymentStore } from '../data/paymentStore.ts';
import type { PaymentEvents } from './paymentEvents.ts';

/** The caps on declined card attempts (card testing); a cap of 0 is off. */
export interface AttemptCaps {
  perOrder: number;
  perUser: number;
  windowMs: number;
}

/**
 * Stripe's card-testing advice, applied to pay-order: a card tester needs many declines to learn
 * which stolen cards work, so after `perOrder` declines on one order, or `perUser` declines by one
 * user, within `windowMs`, no further card is tried until the oldest of them leaves the window.
 * The declines are kept in SQLite, so a restart does not reset the count.
 */
export function createCardAttempts(store: PaymentStore, events: PaymentEvents, caps: AttemptCaps) {
  const capped = (by: 'order' | 'user', id: string, cap: number, now: number) => {
    if (cap === 0) return undefined;
    const nth = store.cardFailures.nthNewest(by, id, now - caps.windowMs, cap);
    return nth === undefined ? undefined : nth + caps.windowMs - now;
  };

  return {
    /** Throws a 429 with Retry-After when the order or the user has used up its declines. */
    ensureAllowed(orderId: string, userId: string, now = Date.now()): void {
      const byOrder = capped('order', orderId, caps.perOrder, now);
      const byUser = capped('user', userId, caps.perUser, now);
      if (byOrder === undefined && byUser === undefined) return;
      const limit = byUser === undefined || (byOrder !== undefined && byOrder >= byUser) ? 'order' : 'user';
      const waitMs = Math.max(byOrder ?? 0, byUser ?? 0);
      const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
      events.countCapped(limit);
      events.log.warn(
        { order_id: orderId, user_id: userId, limit, retry_after_s: retryAfter },
        'card attempts capped',
      );
      const what =
        limit === 'order'
          ? `${caps.perOrder} cards were declined on this order`
          : `${caps.perUser} cards were declined for this account`;
      throw new AppError(
        429,
        limit === 'order' ? 'too_many_declines_for_order' : 'too_many_declines_for_user',
        `${what} recently; no other card is tried for ${retryAfter} s.`,
        { retry_after: retryAfter },
        { 'Retry-After': String(retryAfter) },
      );
    },
    recordDecline(payment: PaymentRecord, code: string | null, declineCode: string | null): void {
      store.cardFailures.record({
        order_id: payment.order_id,
        user_id: payment.user_id,
        at: Date.now(),
        code,
        decline_code: declineCode,
      });
    },
    /** Forgets declines that no cap looks at any more. */
    purge: (now = Date.now()) => store.cardFailures.purge(now - caps.windowMs),
  };
}

export type CardAttempts = ReturnType<typeof createCardAttempts>;
