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

export interface NextAction {
  type: 'redirect_to_url';
  redirect_to_url: { url: string; return_url: string | null };
}

export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
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

export interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  created: number;
  currency: string;
  description: string | null;
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

export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  created: number;
  currency: string;
  metadata: Metadata;
  payment_intent: string;
  reason: string | null;
  status: 'succeeded';
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
}

export function createState(): SandboxState {
  return {
    paymentIntents: new Map(),
    charges: new Map(),
    refunds: new Map(),
    events: [],
    returnUrls: new Map(),
  };
}

export function clearState(state: SandboxState): void {
  state.paymentIntents.clear();
  state.charges.clear();
  state.refunds.clear();
  state.events.length = 0;
  state.returnUrls.clear();
}
