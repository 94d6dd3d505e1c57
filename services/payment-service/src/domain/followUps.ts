import { isStorageFault, statusOf } from '@shop/shared';
import type { FollowUp, PaymentRecord } from '../data/paymentStore.ts';
import { retryDelay, type PaymentsContext } from './context.ts';
import { refundIfOrderCancelled } from './cancelledOrderRefund.ts';

/** How long a claimed step is ours: longer than any call it makes (timeouts and client retries). */
const LEASE_MS = 2 * 60_000;
const BATCH = 100;
/** Answers that a retry cannot change (the order was cancelled meanwhile, it is gone, ...). */
const PERMANENT = new Set([400, 404, 409, 410, 422]);

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

function describe(error: unknown): string {
  const data = (error as { response?: { data?: { detail?: unknown; code?: unknown } } }).response?.data;
  const status = statusOf(error);
  if (status !== undefined) {
    const detail = typeof data?.detail === 'string' ? `: ${data.detail}` : '';
    return `answered ${status}${typeof data?.code === 'string' ? ` ${data.code}` : ''}${detail}`;
  }
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string'
    ? `no answer (${code})`
    : error instanceof Error
      ? error.message
      : String(error);
}

export function createFollowUpRunner(ctx: PaymentsContext): FollowUpRunner {
  const { store, logger } = ctx;
  const background = new Set<Promise<void>>();

  function perform(step: FollowUp['step'], payment: PaymentRecord): Promise<unknown> {
    if (step === 'mark_paid') return ctx.orders.setStatus(payment.order_id, 'Paid');
    if (step === 'mark_refunded') return ctx.orders.setStatus(payment.order_id, 'Refunded');
    return ctx.notifications.notify({
      user_id: payment.user_id,
      order_id: payment.order_id,
      type: 'order_paid',
    });
  }

  /** The receipt and the refund update come after the order is marked Paid. */
  function waitsFor(step: FollowUp): FollowUp | undefined {
    if (step.step === 'mark_paid') return undefined;
    return store.followUps
      .forPayment(step.payment_id)
      .find((f) => f.step === 'mark_paid' && f.state !== 'done');
  }

  async function runStep(step: FollowUp): Promise<void> {
    const now = Date.now();
    const log = { payment_id: step.payment_id, step: step.step, attempt: step.attempts + 1 };
    const before = waitsFor(step);
    if (before?.state === 'blocked') {
      store.followUps.block(
        step.id,
        `waits for mark_paid, which is blocked (${before.last_error ?? 'no reason'})`,
      );
      logger.error(log, 'follow-up blocked: mark_paid is blocked');
      return;
    }
    if (before) return store.followUps.postpone(step.id, now + ctx.retryBaseMs);
    if (!store.followUps.claim(step.id, now, now + LEASE_MS)) return; // someone else is on it
    const payment = store.getPayment(step.payment_id)!;
    try {
      await perform(step.step, payment);
      store.followUps.complete(step.id);
      logger.info({ ...log, order_id: payment.order_id }, 'follow-up done');
    } catch (error) {
      // Done but not recorded: the step stays claimed and is retried (idempotently) when its lease ends.
      if (isStorageFault(error)) throw error;
      const reason = `${step.step} ${describe(error)}`;
      const status = statusOf(error);
      if (step.step === 'mark_paid' && status === 409) {
        // Cancelled while being charged: refund rather than leave the customer charged.
        try {
          if (await refundIfOrderCancelled(ctx, payment)) return;
        } catch (refundError) {
          return retryLater(
            step,
            `${reason}; refunding the cancelled order failed: ${describe(refundError)}`,
          );
        }
      }
      if (status !== undefined && PERMANENT.has(status)) {
        // Retrying cannot help; a person must look (the customer was charged but the order disagrees).
        store.followUps.block(step.id, reason);
        logger.error({ ...log, order_id: payment.order_id, reason }, 'follow-up blocked: needs attention');
        return;
      }
      retryLater(step, reason);
    }
  }

  function retryLater(step: FollowUp, reason: string): void {
    const delay = retryDelay(ctx.retryBaseMs, step.attempts);
    store.followUps.retryLater(step.id, reason, Date.now() + delay);
    logger.warn(
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

  /** Runs a step in the background; a failure is recorded by runStep and never reaches the caller. */
  function track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => logger.error({ err: error }, 'follow-up crashed'));
    background.add(tracked);
    void tracked.finally(() => background.delete(tracked));
  }

  async function runFor(paymentId: string): Promise<void> {
    const due = store.followUps
      .forPayment(paymentId)
      .filter((f) => f.state === 'pending' && f.next_attempt_at <= Date.now());
    for (const step of due) {
      if (step.step === 'send_receipt') track(runStep(step));
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
