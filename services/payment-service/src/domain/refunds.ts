import type Stripe from 'stripe';
import { DependencyError, conflict, type Principal } from '@shop/shared';
import type { FollowUpStep, PaymentRecord, PaymentStore, RefundState } from '../data/paymentStore.ts';
import { visiblePayment } from './access.ts';
import { stepsOwed, type FollowUpRunner } from './followUps.ts';
import type { KeyedLock } from './keyedLock.ts';
import type { PaymentEvents } from './paymentEvents.ts';
import { isSaved5xx, providerFailure, stripeCode } from './stripeErrors.ts';

/**
 * Idempotency key of the payment's refund: every path that refunds it (the API, an order cancelled
 * during the charge) shares it, so together they refund once. A 500 Stripe saved under it, or a
 * refund that failed, moves the payment to the next generation; generation 0 keeps the original form.
 */
export const refundKey = (paymentId: string, generation: number) =>
  generation === 0 ? `refund-${paymentId}` : `refund-${paymentId}-g${generation}`;

const OPEN: readonly string[] = ['pending', 'requires_action'];
export const refundOpen = (payment: PaymentRecord) => OPEN.includes(payment.refund?.status ?? '');

function refundState(refund: Stripe.Refund): RefundState {
  return {
    id: refund.id,
    status: (refund.status ?? 'pending') as RefundState['status'],
    failure_reason: refund.failure_reason ?? null,
  };
}

/** The payment's refund at Stripe, its state recorded: only `succeeded` makes the payment refunded. */
export function createRefunds(stripe: Stripe, store: PaymentStore, events: PaymentEvents) {
  function record(
    payment: PaymentRecord,
    refund: Stripe.Refund,
    owes = stepsOwed('refunded'),
  ): PaymentRecord {
    const state = refundState(refund);
    const { payment: updated, changed } = store.recordRefund(payment.id, state, owes);
    if (changed) {
      events.count('refunded');
      events.log.info({ payment_id: payment.id, refund_id: refund.id }, 'payment refunded');
    } else if (state.status === 'failed' || state.status === 'canceled') {
      events.log.warn(
        { payment_id: payment.id, refund_id: refund.id, status: state.status, reason: state.failure_reason },
        'refund did not go through; the payment stays succeeded',
      );
    }
    return updated;
  }

  /**
   * What Stripe says about the payment's refunds, read from the intent's refund list (consistent,
   * unlike search): a succeeded one wins, then one still pending, then the latest. A refund made in
   * Stripe's dashboard counts too; the shop refunds only in full.
   */
  async function syncRefund(payment: PaymentRecord, owes = stepsOwed('refunded')): Promise<PaymentRecord> {
    const ours = (await stripe.refunds.list({ payment_intent: payment.payment_intent_id!, limit: 100 })).data;
    const pick =
      ours.find((refund) => refund.status === 'succeeded') ??
      ours.find((refund) => OPEN.includes(refund.status ?? '')) ??
      ours[0];
    return pick ? record(payment, pick, owes) : store.getPayment(payment.id)!;
  }

  /**
   * Refunds the payment's charge in full at Stripe, at most once, and records what Stripe said.
   * `owes`: what a success owes (a cancelled order is not marked Refunded: it stays Cancelled).
   */
  async function refundCharge(payment: PaymentRecord, owes = stepsOwed('refunded')): Promise<PaymentRecord> {
    let refund: Stripe.Refund;
    try {
      refund = await stripe.refunds.create(
        {
          payment_intent: payment.payment_intent_id!,
          metadata: { payment_id: payment.id, order_id: payment.order_id },
        },
        { idempotencyKey: refundKey(payment.id, payment.refund_generation) },
      );
    } catch (error) {
      // Refunded already (ours answered late, or from Stripe's dashboard): Stripe's list says how.
      if (stripeCode(error) === 'charge_already_refunded') return syncRefund(payment, owes);
      if (isSaved5xx(error)) await afterSaved5xx(payment, owes);
      events.count('error');
      throw providerFailure(events, error, 'refund the payment');
    }
    const updated = record(payment, refund, owes);
    if (refund.status === 'failed' || refund.status === 'canceled') {
      events.count('error');
      throw new DependencyError(
        'refund_failed',
        `Stripe could not refund the payment (${refund.status}).`,
        'failed',
      );
    }
    return updated;
  }

  /** A 500 saved under the refund key: a refund made anyway is adopted, otherwise the next key is used. */
  async function afterSaved5xx(payment: PaymentRecord, owes: FollowUpStep[]): Promise<void> {
    const found = await syncRefund(payment, owes).catch(() => undefined);
    if (found?.refund && !['failed', 'canceled'].includes(found.refund.status)) return;
    store.nextRefundGeneration(payment.id);
  }

  /** Asks Stripe about the payment's open refund, or refunds it when it has none (or only a failed one). */
  function settleRefund(payment: PaymentRecord, owes = stepsOwed('refunded')): Promise<PaymentRecord> {
    return refundOpen(payment) ? syncRefund(payment, owes) : refundCharge(payment, owes);
  }

  return { refundCharge, syncRefund, settleRefund };
}

export type Refunds = ReturnType<typeof createRefunds>;

export interface RefundDeps {
  store: PaymentStore;
  locks: KeyedLock;
  events: PaymentEvents;
  followUps: FollowUpRunner;
  refunds: Refunds;
}

/**
 * Refunds a succeeded payment of the caller's in full, once: a repeat answers the payment as it is
 * (asking Stripe again while the refund is pending). The order becomes Refunded through the durable
 * `mark_refunded` step, recorded when Stripe says the refund succeeded.
 */
export function createRefundPayment({ store, locks, events, followUps, refunds }: RefundDeps) {
  return async function refundPayment(caller: Principal, paymentId: string): Promise<PaymentRecord> {
    const { order_id } = visiblePayment(store, caller, paymentId);
    return locks.run(order_id, async () => {
      let payment = store.getPayment(paymentId)!;
      if (payment.status !== 'refunded') {
        if (payment.status !== 'succeeded') {
          throw conflict(
            `Only a succeeded payment can be refunded; this one is ${payment.status}.`,
            'payment_not_refundable',
            { payment_status: payment.status },
          );
        }
        payment = refundOpen(payment)
          ? await refunds.syncRefund(payment).catch((error: unknown) => {
              throw providerFailure(events, error, 'give the refund state');
            })
          : await refunds.refundCharge(payment);
      }
      await followUps.runFor(payment.id);
      return store.getPayment(payment.id)!;
    });
  };
}
