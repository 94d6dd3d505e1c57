import type Stripe from 'stripe';
import { backoffDelay, isStorageFault } from '@shop/shared';
import { PAYMENT_STATUSES, type PaymentStatus } from '@shop/shared/contracts';
import type { IntentState, PaymentRecord, PaymentStore } from '../data/paymentStore.ts';
import { stepsOwed } from './followUps.ts';
import type { KeyedLock } from './keyedLock.ts';
import type { PaymentEvents, RetrySchedule } from './paymentEvents.ts';

export const FINAL_STATUSES: readonly PaymentStatus[] = ['succeeded', 'refunded', 'canceled'];

/** Idempotency key of the order's one PaymentIntent: any repeat of the creation gets the same intent. */
export const createKey = (orderId: string) => `pi-create-${orderId}`;
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
}

/** The payment's PaymentIntent at Stripe: created once, read back, and its word recorded. */
export type Intents = ReturnType<typeof createIntents>;

export function createIntents({ store, stripe, events, locks, retry }: IntentDeps) {
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
   */
  async function ensure(payment: PaymentRecord): Promise<PaymentRecord> {
    if (payment.payment_intent_id) return payment;
    const intent = await stripe.paymentIntents.create(
      {
        amount: payment.amount,
        currency: payment.currency.toLowerCase(),
        // Cards confirmed by this server; 3D Secure still works, redirect-only methods are left out.
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        description: `Order ${payment.order_id}`,
        metadata: { order_id: payment.order_id, user_id: payment.user_id, payment_id: payment.id },
      },
      { idempotencyKey: createKey(payment.order_id) },
    );
    return record(payment.id, intent);
  }

  /** Asks Stripe for the intent's current state and records it. */
  async function refresh(payment: PaymentRecord): Promise<PaymentRecord> {
    if (!payment.payment_intent_id) return ensure(payment);
    return record(payment.id, await stripe.paymentIntents.retrieve(payment.payment_intent_id));
  }

  /**
   * Brings one payment whose Stripe state is unknown up to date, under the order's lock. A failure
   * (Stripe still unreachable) schedules the next try with backoff.
   */
  async function reconcile(paymentId: string): Promise<PaymentRecord | undefined> {
    const first = store.getPayment(paymentId);
    if (!first) return undefined;
    return locks.run(first.order_id, async () => {
      const payment = store.getPayment(paymentId)!;
      if (FINAL_STATUSES.includes(payment.status)) return payment;
      try {
        return await refresh(payment);
      } catch (error) {
        if (isStorageFault(error)) throw error; // Stripe answered; recording it failed: not a Stripe failure
        const delay = backoffDelay(payment.sync_failures + 1, retry);
        store.deferSync(payment.id, Date.now() + delay);
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

  return { record, ensure, refresh, reconcile };
}
