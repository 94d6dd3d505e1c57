import type { IdempotencyKeys } from '@shop/shared';
import type { PaymentStatus } from '@shop/shared/contracts';

export type FollowUpStep = 'mark_paid' | 'send_receipt' | 'mark_refunded';
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
  created_at: string;
  updated_at: string;
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
  /** succeeded -> refunded, queueing the steps a refund `owes` in the same transaction. */
  markRefunded(id: string, owes: FollowUpStep[]): Transition;
  /**
   * The order was cancelled before it could be marked Paid and the charge was refunded: succeeded ->
   * refunded, and every step still owed (mark the order, the receipt) is closed with the reason.
   */
  markRefundedForCancelledOrder(id: string, reason: string): Transition;
  /** Payments whose Stripe state is unknown (no PaymentIntent id, or an attempt without outcome). */
  paymentsToSync(now: number, limit: number): PaymentRecord[];
  /** Payments not final yet, newest first: checked against Stripe when the worker starts. */
  unsettledPayments(limit: number): PaymentRecord[];
  /** A reconciliation failed: try again at `at`. */
  deferSync(id: string, at: number): void;
  followUps: FollowUpStore;
  webhookEvents: WebhookEventStore;
  cardFailures: CardFailureStore;
  /** Idempotency-Key answers of pay-order and refund (the shared mechanism's store). */
  idempotency: IdempotencyKeys;
  ping(): void;
  close(): void;
}
