import type { StripeErrorBody } from './errors.ts';

/** The API version the sandbox claims to speak; events carry it like Stripe's do. */
export const SANDBOX_API_VERSION = '2026-10-28.endive';

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'succeeded'
  | 'canceled';

export type Metadata = Record<string, string>;

/**
 * What the client must do next. Stripe answers a server-side confirmation without a return_url with
 * `use_stripe_sdk` (Stripe.js' handleNextAction runs the 3D Secure challenge; its contents are
 * Stripe.js-private), and with `redirect_to_url` when a return_url was given.
 */
export type NextAction =
  | { type: 'redirect_to_url'; redirect_to_url: { url: string; return_url: string } }
  | { type: 'use_stripe_sdk'; use_stripe_sdk: Record<string, string> };

export interface AutomaticPaymentMethods {
  enabled: boolean;
  allow_redirects?: 'always' | 'never';
}

/** Fields Stripe always sends but the sandbox has nothing to put in: present, and null. */
type AlwaysNull<K extends string> = { [P in K]: null };

export interface PaymentIntent extends AlwaysNull<
  | 'application'
  | 'application_fee_amount'
  | 'invoice'
  | 'on_behalf_of'
  | 'payment_method_options'
  | 'processing'
  | 'review'
  | 'setup_future_usage'
  | 'shipping'
  | 'statement_descriptor'
  | 'statement_descriptor_suffix'
  | 'transfer_data'
  | 'transfer_group'
> {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  automatic_payment_methods: AutomaticPaymentMethods | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: 'automatic' | 'automatic_async' | 'manual';
  client_secret: string;
  confirmation_method: 'automatic' | 'manual';
  created: number;
  currency: string;
  customer: string | null;
  description: string | null;
  last_payment_error: StripeErrorBody['error'] | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Metadata;
  next_action: NextAction | null;
  payment_method: string | null;
  payment_method_types: string[];
  receipt_email: string | null;
  status: PaymentIntentStatus;
}

export interface Charge extends AlwaysNull<
  | 'application'
  | 'application_fee'
  | 'application_fee_amount'
  | 'balance_transaction'
  | 'customer'
  | 'failure_balance_transaction'
  | 'fraud_details'
  | 'invoice'
  | 'on_behalf_of'
  | 'outcome'
  | 'payment_method_details'
  | 'receipt_email'
  | 'receipt_number'
  | 'receipt_url'
  | 'review'
  | 'shipping'
  | 'source_transfer'
  | 'statement_descriptor'
  | 'statement_descriptor_suffix'
  | 'transfer_data'
  | 'transfer_group'
> {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  billing_details: { address: null; email: null; name: null; phone: null };
  calculated_statement_descriptor: string | null;
  captured: boolean;
  created: number;
  currency: string;
  description: string | null;
  disputed: boolean;
  failure_code: string | null;
  failure_message: string | null;
  livemode: false;
  metadata: Metadata;
  paid: boolean;
  payment_intent: string;
  payment_method: string;
  refunded: boolean;
  status: 'succeeded' | 'failed';
}

/** Card refunds start `pending` or `succeeded`; a pending one may still end `failed` or `canceled`. */
export type RefundStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';

export interface Refund extends AlwaysNull<
  'balance_transaction' | 'receipt_number' | 'source_transfer_reversal' | 'transfer_reversal'
> {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  created: number;
  currency: string;
  /** Present only once the refund failed, as in Stripe. */
  failure_reason?: 'lost_or_stolen_card' | 'expired_or_canceled_card' | 'unknown';
  metadata: Metadata;
  payment_intent: string;
  reason: string | null;
  status: RefundStatus;
}

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: unknown };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface DeliveryAttempt {
  at: number;
  status?: number;
  error?: string;
}

/** Sandbox-only bookkeeping about one event's webhook delivery, for /_sandbox/events. */
export interface EventRecord {
  event: StripeEvent;
  delivery: {
    url: string | null;
    state: 'no_endpoint' | 'pending' | 'delivered' | 'failed';
    attempts: DeliveryAttempt[];
  };
}

/** Everything the sandbox remembers; all in memory, cleared by POST /_sandbox/reset. */
export interface SandboxState {
  paymentIntents: Map<string, PaymentIntent>;
  charges: Map<string, Charge>;
  refunds: Map<string, Refund>;
  events: EventRecord[];
  /** return_url given at create/confirm; not part of Stripe's PaymentIntent object, so kept aside. */
  returnUrls: Map<string, string>;
  /** How many of the next refunds stay `pending` until a test settles them (POST /_sandbox/refunds/hold). */
  refundsToHold: number;
}

export function createState(): SandboxState {
  return {
    paymentIntents: new Map(),
    charges: new Map(),
    refunds: new Map(),
    events: [],
    returnUrls: new Map(),
    refundsToHold: 0,
  };
}

export function clearState(state: SandboxState): void {
  state.paymentIntents.clear();
  state.charges.clear();
  state.refunds.clear();
  state.events.length = 0;
  state.returnUrls.clear();
  state.refundsToHold = 0;
}
