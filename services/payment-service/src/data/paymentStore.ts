import type { IdempotencyKeys } from '@shop/shared';
import type { PaymentStatus, RefundStatus } from '@shop/shared/contracts';

export type FollowUpStep = 'mark_paid' | 'send_receipt' | 'mark_refunded' | 'send_refund_notice';
export type FollowUpState = 'pending' | 'done' | 'blocked';

export interface PaymentError {
  code: string | null;
  decline_code: string | null;
  message: string;
}

export interface PaymentRecord {
  id: string;
  order_id: string;
  user_id: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  payment_intent_id: string | null;
  client_secret: string | null;
  last_error: PaymentError | null;
  /** Number of the latest confirmation attempt (0 = none yet); part of its idempotency key. */
  attempt: number;
  attempt_payment_method: string | null;
  /** The latest attempt was sent (or about to be) and its outcome is not recorded yet. */
  attempt_open: boolean;
  /** Reconcile with Stripe not before this time (ms); raised after each failed reconciliation. */
  sync_after: number;
  sync_failures: number;
  /** Number of the PaymentIntent create key in use (a 500 saved under the previous one moved it on). */
  create_generation: number;
  /** Stripe refused to create the intent (e.g. amount_too_small): the worker leaves it alone. */
  create_refused: boolean;
  /** Number of the refund key in use (a saved 500 or a failed refund moved it on). */
  refund_generation: number;
  refund: RefundState | null;
  created_at: string;
  updated_at: string;
}

/** The payment's refund as Stripe tells it: `pending` may still end `failed` or `canceled`. */
export interface RefundState {
  id: string;
  status: RefundStatus;
  failure_reason: string | null;
}

/** What Stripe says about the payment's PaymentIntent. */
export interface IntentState {
  payment_intent_id: string;
  status: PaymentStatus;
  client_secret: string | null;
  last_error: PaymentError | null;
}

export interface FollowUp {
  id: number;
  payment_id: string;
  step: FollowUpStep;
  state: FollowUpState;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  done_at: string | null;
}

export interface Transition {
  payment: PaymentRecord;
  /** False when the payment was already final, or already in that state. */
  changed: boolean;
}

export interface FollowUpStore {
  due(now: number, limit: number): FollowUp[];
  forPayment(paymentId: string): FollowUp[];
  /** Takes a due step for this worker until `leaseUntil`; false when someone else has it or it is not due. */
  claim(id: number, now: number, leaseUntil: number): boolean;
  complete(id: number): void;
  retryLater(id: number, error: string, at: number): void;
  block(id: number, reason: string): void;
  /** Waits for another step without counting an attempt. */
  postpone(id: number, at: number): void;
}

export interface WebhookEventStore {
  seen(eventId: string): boolean;
  record(eventId: string, type: string): void;
}

/** Card declines, for the caps on failed attempts (card testing); durable across restarts. */
export interface CardFailureStore {
  record(failure: {
    order_id: string;
    user_id: string;
    at: number;
    code: string | null;
    decline_code: string | null;
  }): void;
  /** The time (ms) of the n-th newest failure of the order or user after `from`; undefined if fewer. */
  nthNewest(by: 'order' | 'user', id: string, from: number, n: number): number | undefined;
  /** Forgets failures at or before `before`; answers how many. */
  purge(before: number): number;
}

/** Everything the payment-service keeps. Methods are synchronous: SQLite runs in-process. */
export interface PaymentStore {
  getPayment(id: string): PaymentRecord | undefined;
  getPaymentByOrder(orderId: string): PaymentRecord | undefined;
  getPaymentByIntent(intentId: string): PaymentRecord | undefined;
  /** Creates the order's payment row, or returns the one that exists (one per order, ever). */
  createPayment(input: {
    order_id: string;
    user_id: string;
    amount: number;
    currency: string;
  }): PaymentRecord;
  /** Records the next confirmation attempt before it is sent and returns its number. */
  openAttempt(id: string, paymentMethod: string): number;
  closeAttempt(id: string): void;
  /**
   * Moves a payment to Stripe's state of its PaymentIntent and queues the steps that state `owes`,
   * in one transaction. Final states (succeeded, refunded, canceled) never move back: a payment
   * already final is left as it is, and nothing is queued.
   */
  recordIntentState(id: string, state: IntentState, owes: FollowUpStep[]): Transition;
  /**
   * Records Stripe's word on the payment's refund. Only a succeeded refund moves the payment
   * succeeded -> refunded (queueing the steps `owes`, in the same transaction); a failed or
   * canceled one leaves it succeeded and moves the refund key on, so it can be refunded again.
   */
  recordRefund(id: string, refund: RefundState, owes: FollowUpStep[]): Transition;
  /** Stripe answered a 500 saved under the create key and has no intent for it: use the next key. */
  nextCreateGeneration(id: string): void;
  /** Stripe refused the create (a 4xx): recorded as the last error, not retried by the worker. */
  recordCreateRefused(id: string, error: PaymentError): PaymentRecord;
  /** Stripe answered a 500 saved under the refund key and has no refund for it: use the next key. */
  nextRefundGeneration(id: string): void;
  /**
   * The order was cancelled before it could be marked Paid and its charge refunded (the refund's
   * success already made the payment `refunded`): every step still owed (mark the order Paid or
   * Refunded, the receipt) is closed with the reason - except the refund notice, which the refund's
   * success queued: the customer was charged and refunded.
   */
  closeStepsOfCancelledOrder(id: string, reason: string): void;
  /**
   * Payments due for a check with Stripe: not final (and not refused at creation), or with a refund
   * pending; the longest-waiting first.
   */
  paymentsToSync(now: number, limit: number): PaymentRecord[];
  /** One page of every such payment regardless of its schedule, oldest first, after the cursor: the start-up pass. */
  unsettledPage(after: { created_at: string; id: string } | undefined, limit: number): PaymentRecord[];
  /** The next check of this payment is at `at`, after `failures` checks that did not settle it. */
  deferSync(id: string, at: number, failures: number): void;
  followUps: FollowUpStore;
  webhookEvents: WebhookEventStore;
  cardFailures: CardFailureStore;
  /** Idempotency-Key answers of pay-order and refund (the shared mechanism's store). */
  idempotency: IdempotencyKeys;
  ping(): void;
  close(): void;
}
