import { backoffDelay, isStorageFault } from '@shop/shared';
import { CallError, isPermanentRefusal, type ApiClient } from '@shop/shared/clients';
import type { notificationApi, orderApi, PaymentStatus } from '@shop/shared/contracts';
import type { FollowUp, FollowUpStep, PaymentRecord, PaymentStore } from '../data/paymentStore.ts';
import type { PaymentEvents, RetrySchedule } from './paymentEvents.ts';

/**
 * What a payment owes once Stripe has spoken: a charge that succeeded must mark the order Paid and
 * send the receipt (in that order); a refund that succeeded must mark the order Refunded and send
 * the refund notice (in that order). The store writes these steps in the same transaction as the
 * payment's new state, so none is lost to a crash; a refund still pending or failed owes nothing.
 */
export function stepsOwed(status: PaymentStatus): FollowUpStep[] {
  if (status === 'succeeded') return ['mark_paid', 'send_receipt'];
  if (status === 'refunded') return ['mark_refunded', 'send_refund_notice'];
  return [];
}

/** What a cancelled order's automatic refund owes once it succeeded: the order stays Cancelled. */
export const CANCELLED_ORDER_REFUND_OWES: FollowUpStep[] = ['send_refund_notice'];

/** The step each one waits for (when the payment owes it): a mail goes after the order's change. */
const AFTER: Partial<Record<FollowUpStep, FollowUpStep>> = {
  send_receipt: 'mark_paid',
  mark_refunded: 'mark_paid',
  send_refund_notice: 'mark_refunded',
};

/** Mails go on in the background: the caller waits for the order's change only. */
const MAILS: readonly FollowUpStep[] = ['send_receipt', 'send_refund_notice'];

export const CANCELLED_ORDER_REFUND_REASON =
  'the order was cancelled before it could be marked Paid; the charge was refunded';

/** How long a claimed step is ours: longer than any call it makes (timeouts and client retries). */
const LEASE_MS = 2 * 60_000;
const BATCH = 100;

export interface FollowUpDeps {
  store: PaymentStore;
  orders: ApiClient<typeof orderApi>;
  notifications: ApiClient<typeof notificationApi>;
  /** Refunds the payment's charge in full at Stripe at most once, or asks about its open refund (refunds.ts). */
  settleRefund: (payment: PaymentRecord, owes: FollowUpStep[]) => Promise<PaymentRecord>;
  events: PaymentEvents;
  retry: RetrySchedule;
}

export interface FollowUpRunner {
  /** Tries this payment's due steps now; resolves once the order update was tried (the receipt goes on in the background). */
  runFor(paymentId: string): Promise<void>;
  /** Starts runFor without waiting for it. */
  kick(paymentId: string): void;
  /** Tries every due step (the worker's tick). */
  runDue(): Promise<void>;
  /** Resolves when no background step is running. */
  idle(): Promise<void>;
}

const describe = (error: unknown) =>
  error instanceof CallError ? error.message : error instanceof Error ? error.message : String(error);

/** Runs the steps payments owe, each until it is done, with backoff, across restarts. */
export function createFollowUpRunner(deps: FollowUpDeps): FollowUpRunner {
  const { store, events } = deps;
  const background = new Set<Promise<void>>();

  function perform(step: FollowUpStep, payment: PaymentRecord): Promise<unknown> {
    const order = { params: { id: payment.order_id } };
    if (step === 'mark_paid')
      return deps.orders.call('setOrderStatus', { ...order, body: { status: 'Paid' } });
    if (step === 'mark_refunded') {
      return deps.orders.call('setOrderStatus', { ...order, body: { status: 'Refunded' } });
    }
    const type = step === 'send_refund_notice' ? 'order_refunded' : 'order_paid';
    return deps.notifications.call('notify', {
      body: { user_id: payment.user_id, order_id: payment.order_id, type },
    });
  }

  /**
   * mark_paid was refused (409). If the owner cancelled the order while it was being charged, the
   * customer must not pay for it: the charge is refunded (once: the refund's key is the payment's),
   * the receipt is not sent, and the payment ends `refunded` only when Stripe says the refund
   * succeeded; that success owes the refund notice (the customer was charged and refunded).
   * A refund still pending throws, so mark_paid is retried and asks Stripe again; one that failed
   * moved the refund key on, so the retry refunds again. False when the order is not Cancelled
   * (a person must look); throws when the order-service or Stripe fail, so the step is retried.
   */
  async function refundIfOrderCancelled(payment: PaymentRecord): Promise<boolean> {
    const order = await deps.orders.call('getOrder', { params: { id: payment.order_id } });
    if (order.status !== 'Cancelled') return false;
    const current =
      payment.status === 'succeeded'
        ? await deps.settleRefund(payment, CANCELLED_ORDER_REFUND_OWES)
        : payment;
    if (current.status !== 'refunded') {
      throw new Error(`the refund ${current.refund?.id ?? ''} is pending at Stripe`);
    }
    store.closeStepsOfCancelledOrder(payment.id, CANCELLED_ORDER_REFUND_REASON);
    if (payment.status === 'succeeded') {
      events.log.warn(
        {
          payment_id: payment.id,
          order_id: payment.order_id,
          payment_intent_id: payment.payment_intent_id,
          refund_id: current.refund?.id,
          amount: payment.amount,
          currency: payment.currency,
        },
        'order cancelled during its charge: charge refunded automatically',
      );
    }
    return true;
  }

  /** The step this one waits for, while it is not done (see AFTER). */
  function waitsFor(step: FollowUp): FollowUp | undefined {
    const after = AFTER[step.step];
    if (!after) return undefined;
    return store.followUps.forPayment(step.payment_id).find((f) => f.step === after && f.state !== 'done');
  }

  function retryLater(step: FollowUp, reason: string): void {
    const delay = backoffDelay(step.attempts + 1, deps.retry);
    store.followUps.retryLater(step.id, reason, Date.now() + delay);
    events.log.warn(
      {
        payment_id: step.payment_id,
        step: step.step,
        attempt: step.attempts + 1,
        reason,
        retry_in_ms: delay,
      },
      'follow-up failed; will retry',
    );
  }

  async function runStep(step: FollowUp): Promise<void> {
    const now = Date.now();
    const log = { payment_id: step.payment_id, step: step.step, attempt: step.attempts + 1 };
    const before = waitsFor(step);
    if (before?.state === 'blocked') {
      store.followUps.block(
        step.id,
        `waits for ${before.step}, which is blocked (${before.last_error ?? 'no reason'})`,
      );
      events.log.error(
        { ...log, waits_for: before.step },
        'follow-up blocked: the step it waits for is blocked',
      );
      return;
    }
    if (before) return store.followUps.postpone(step.id, now + deps.retry.baseMs);
    if (!store.followUps.claim(step.id, now, now + LEASE_MS)) return; // someone else is on it
    const payment = store.getPayment(step.payment_id)!;
    try {
      await perform(step.step, payment);
      store.followUps.complete(step.id);
      events.log.info({ ...log, order_id: payment.order_id }, 'follow-up done');
    } catch (error) {
      // Done but not recorded: the step stays claimed and is retried (idempotently) when its lease ends.
      if (isStorageFault(error)) throw error;
      const reason = `${step.step}: ${describe(error)}`;
      const status = error instanceof CallError ? error.status : undefined;
      if (step.step === 'mark_paid' && status === 409) {
        // Cancelled while being charged: refund rather than leave the customer charged.
        try {
          if (await refundIfOrderCancelled(payment)) return;
        } catch (refundError) {
          return retryLater(
            step,
            `${reason}; refunding the cancelled order failed: ${describe(refundError)}`,
          );
        }
      }
      if (isPermanentRefusal(status)) {
        // Retrying cannot help; a person must look (the customer was charged but the order disagrees).
        store.followUps.block(step.id, reason);
        events.log.error(
          { ...log, order_id: payment.order_id, reason },
          'follow-up blocked: needs attention',
        );
        return;
      }
      retryLater(step, reason);
    }
  }

  /** Runs a step in the background; a failure is recorded by runStep and never reaches the caller. */
  function track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => events.log.error({ err: error }, 'follow-up crashed'));
    background.add(tracked);
    void tracked.finally(() => background.delete(tracked));
  }

  async function runFor(paymentId: string): Promise<void> {
    const due = store.followUps
      .forPayment(paymentId)
      .filter((f) => f.state === 'pending' && f.next_attempt_at <= Date.now());
    for (const step of due) {
      if (MAILS.includes(step.step)) track(runStep(step));
      else await runStep(step);
    }
  }

  return {
    runFor,
    kick: (paymentId) => track(runFor(paymentId)),
    async runDue() {
      for (const step of store.followUps.due(Date.now(), BATCH)) await runStep(step);
    },
    async idle() {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
}
