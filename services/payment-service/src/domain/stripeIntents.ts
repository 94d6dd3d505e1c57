import type Stripe from 'stripe';
import { AppError, CURRENCIES, backoffDelay, isStorageFault, type Currency } from '@shop/shared';
import { PAYMENT_STATUSES, type PaymentStatus } from '@shop/shared/contracts';
import type { IntentState, PaymentError, PaymentRecord, PaymentStore } from '../data/paymentStore.ts';
import { stepsOwed } from './followUps.ts';
import type { KeyedLock } from './keyedLock.ts';
import type { PaymentEvents, RetrySchedule } from './paymentEvents.ts';
import { isRefusal, isSaved5xx } from './stripeErrors.ts';

export const FINAL_STATUSES: readonly PaymentStatus[] = ['succeeded', 'refunded', 'canceled'];

/**
 * Idempotency key of the order's PaymentIntent: any repeat of the creation gets the same intent.
 * Stripe saves a 500 under a key for 24 hours, so after one (and no intent found) the payment moves
 * to the next generation of its key; generation 0 keeps the original form.
 */
export const createKey = (orderId: string, generation: number) =>
  generation === 0 ? `pi-create-${orderId}` : `pi-create-${orderId}-g${generation}`;
/** Idempotency key of one confirmation attempt; the attempt number is recorded before the call. */
export const CONFIRM_KEY_PREFIX = 'pi-confirm-';
export const confirmKey = (intentId: string, attempt: number) =>
  `${CONFIRM_KEY_PREFIX}${intentId}-${attempt}`;

const STRIPE_STATUSES: readonly string[] = PAYMENT_STATUSES.filter((s) => s !== 'refunded');

function paymentStatusOf(intent: Stripe.PaymentIntent): PaymentStatus {
  // Manual capture is not used: an authorised but uncaptured intent (or a status newer than this code)
  // is still on its way, and never counts as paid.
  return STRIPE_STATUSES.includes(intent.status) ? (intent.status as PaymentStatus) : 'processing';
}

/** What a PaymentIntent says, in the payment's terms. */
export function intentState(intent: Stripe.PaymentIntent): IntentState {
  const error = intent.last_payment_error;
  return {
    payment_intent_id: intent.id,
    status: paymentStatusOf(intent),
    client_secret: intent.client_secret,
    last_error: error
      ? {
          code: error.code ?? null,
          decline_code: error.decline_code ?? null,
          message: error.message ?? 'The payment failed.',
        }
      : null,
  };
}

export interface IntentDeps {
  store: PaymentStore;
  stripe: Stripe;
  events: PaymentEvents;
  locks: KeyedLock;
  retry: RetrySchedule;
  /** The Stripe account's settlement currency: its minimum charge applies (STRIPE_SETTLEMENT_CURRENCY). */
  settlementCurrency: Currency;
  /** Brings a pending refund up to date (see refunds.ts). */
  syncRefund: (payment: PaymentRecord) => Promise<PaymentRecord>;
}

/** Stripe will not create this payment; repeating will not help: a 422 naming Stripe's reason. */
export function refusedPayment(payment: PaymentRecord, error: PaymentError): AppError {
  return new AppError(422, 'payment_refused', error.message, {
    provider_code: error.code,
    payment_id: payment.id,
  });
}

/** The payment's PaymentIntent at Stripe: created once, read back, and its word recorded. */
export type Intents = ReturnType<typeof createIntents>;

export function createIntents(deps: IntentDeps) {
  const { store, stripe, events, locks, retry } = deps;
  /** Records what Stripe says, with the steps that state owes; counts a charge that just succeeded. */
  function record(paymentId: string, intent: Stripe.PaymentIntent): PaymentRecord {
    const state = intentState(intent);
    const { payment, changed } = store.recordIntentState(paymentId, state, stepsOwed(state.status));
    if (changed && payment.status === 'succeeded') {
      events.count('succeeded');
      events.log.info(
        {
          payment_id: payment.id,
          order_id: payment.order_id,
          payment_intent_id: intent.id,
          amount: payment.amount,
        },
        'payment succeeded',
      );
    }
    return payment;
  }

  /**
   * Creates the order's PaymentIntent, always with the same parameters and idempotency key, so a
   * repeat (after a timeout or a crash before the id was saved) gets the intent Stripe already made.
   * Its callers (pay-order, refresh) call it only for a payment without an intent, under the order's lock.
   */
  async function ensure(payment: PaymentRecord): Promise<PaymentRecord> {
    refuseUnderMinimum(payment);
    try {
      const intent = await stripe.paymentIntents.create(
        {
          amount: payment.amount,
          currency: payment.currency.toLowerCase(),
          // Cards confirmed by this server; 3D Secure still works, redirect-only methods are left out.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          description: `Order ${payment.order_id}`,
          metadata: { order_id: payment.order_id, user_id: payment.user_id, payment_id: payment.id },
        },
        { idempotencyKey: createKey(payment.order_id, payment.create_generation) },
      );
      return record(payment.id, intent);
    } catch (error) {
      if (isRefusal(error)) {
        const reason = { code: error.code ?? null, decline_code: null, message: error.message };
        store.recordCreateRefused(payment.id, reason);
        events.log.warn(
          { payment_id: payment.id, code: reason.code },
          'Stripe refused to create the payment',
        );
        throw refusedPayment(payment, reason);
      }
      if (isSaved5xx(error)) return afterSaved5xx(payment, error);
      throw error;
    }
  }

  /**
   * The order-service keeps orders at or above their own currency's minimum; an account that settles
   * in that currency needs no more, so a lower amount is refused here without asking Stripe. Other
   * currencies are converted by Stripe at the day's rate, which only Stripe knows: its refusal decides.
   */
  function refuseUnderMinimum(payment: PaymentRecord): void {
    if (payment.currency !== deps.settlementCurrency) return;
    const minimum = CURRENCIES[deps.settlementCurrency].minimum;
    if (payment.amount >= minimum) return;
    const reason = {
      code: 'amount_too_small',
      decline_code: null,
      message: `Amount must be at least ${minimum} minor units of ${deps.settlementCurrency}.`,
    };
    store.recordCreateRefused(payment.id, reason);
    throw refusedPayment(payment, reason);
  }

  /**
   * Stripe answered the create with a 500 and saved it under the key: every retry with it gets the
   * same 500. Whether an intent exists anyway is asked by searching its metadata; found, it is the
   * payment's. Not found, the next try uses the next key. Search lags (usually under a minute), so an
   * intent it did not show yet may turn up later: its webhook cancels it (see cancelStray).
   */
  async function afterSaved5xx(payment: PaymentRecord, error: unknown): Promise<PaymentRecord> {
    const found = await stripe.paymentIntents.search({
      query: `metadata['payment_id']:'${payment.id}'`,
      limit: 10,
    });
    const live = found.data.find((intent) => intent.status !== 'canceled');
    if (live) return record(payment.id, live);
    store.nextCreateGeneration(payment.id);
    events.log.warn(
      { payment_id: payment.id, generation: payment.create_generation + 1 },
      'Stripe saved a 500 under the create key and has no intent: the next try uses a new key',
    );
    throw error;
  }

  /**
   * An intent made for this payment that is not its recorded one (found late after a saved 500):
   * canceled, so an order never has two live intents. Nobody has its client secret, so it was never
   * confirmed; one already final is left alone.
   */
  async function cancelStray(payment: PaymentRecord, intent: Stripe.PaymentIntent): Promise<void> {
    if (intent.id === payment.payment_intent_id || FINAL_STATUSES.includes(intent.status as PaymentStatus))
      return;
    await stripe.paymentIntents.cancel(
      intent.id,
      { cancellation_reason: 'duplicate' },
      { idempotencyKey: `pi-cancel-${intent.id}` },
    );
    events.log.warn(
      { payment_id: payment.id, payment_intent_id: intent.id },
      'a second intent of the payment was canceled',
    );
  }

  /** Asks Stripe for the intent's current state (and the refund's, if one is pending) and records it. */
  async function refresh(payment: PaymentRecord): Promise<PaymentRecord> {
    if (!payment.payment_intent_id) return ensure(payment);
    const current = record(payment.id, await stripe.paymentIntents.retrieve(payment.payment_intent_id));
    const refund = current.refund?.status;
    return refund === 'pending' || refund === 'requires_action' ? deps.syncRefund(current) : current;
  }

  const settled = (payment: PaymentRecord) =>
    (FINAL_STATUSES.includes(payment.status) || payment.create_refused) &&
    payment.refund?.status !== 'pending' &&
    payment.refund?.status !== 'requires_action';

  /**
   * Brings one payment whose Stripe state is unknown up to date, under the order's lock. A failure
   * (Stripe still unreachable) schedules the next try with backoff.
   */
  async function reconcile(paymentId: string): Promise<PaymentRecord> {
    // The worker hands in ids of stored payments, and payments are never deleted.
    const { order_id } = store.getPayment(paymentId)!;
    return locks.run(order_id, async () => {
      const payment = store.getPayment(paymentId)!;
      if (settled(payment)) return payment;
      // Still unsettled after the check (or the check failed): looked at again later, less and less often.
      const failures = payment.sync_failures + 1;
      const delay = backoffDelay(failures, retry);
      try {
        const after = await refresh(payment);
        const unchanged = after.status === payment.status && after.refund?.status === payment.refund?.status;
        if (!settled(after) && unchanged) store.deferSync(payment.id, Date.now() + delay, failures);
        return store.getPayment(payment.id)!;
      } catch (error) {
        if (isStorageFault(error)) throw error; // Stripe answered; recording it failed: not a Stripe failure
        store.deferSync(payment.id, Date.now() + delay, failures);
        events.log.warn(
          {
            payment_id: payment.id,
            err: error instanceof Error ? error.message : String(error),
            retry_in_ms: delay,
          },
          'could not reconcile the payment with Stripe',
        );
        return payment;
      }
    });
  }

  return { record, ensure, refresh, reconcile, cancelStray };
}
