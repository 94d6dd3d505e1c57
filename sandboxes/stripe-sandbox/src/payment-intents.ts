import { invalidRequest, missingParam, noSuchResource, unexpectedState } from './errors.ts';
import { newId, nowSeconds, randomToken } from './ids.ts';
import { confirmIntent, requireNoRedirects, requirePaymentMethod } from './confirm.ts';
import { snapshot, type OperationContext } from './context.ts';
import {
  mergeMetadata,
  optionalAmount,
  optionalBoolean,
  optionalMetadata,
  optionalString,
  requiredAmount,
  requiredCurrency,
  type Params,
} from './params.ts';
import { requireMinimumCharge } from './currencies.ts';
import type { AutomaticPaymentMethods, PaymentIntent, SandboxState } from './state.ts';

const CANCELABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action', 'processing'];
const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'];

export function getIntent(state: SandboxState, id: string): PaymentIntent {
  const intent = state.paymentIntents.get(id);
  if (!intent) throw noSuchResource('payment_intent', id, 'intent');
  return intent;
}

function captureMethod(params: Params): PaymentIntent['capture_method'] {
  const value = optionalString(params, 'capture_method') ?? 'automatic';
  if (value === 'automatic' || value === 'automatic_async') return value;
  throw invalidRequest(
    'The sandbox only supports automatic capture.',
    'parameter_invalid_string',
    'capture_method',
  );
}

/**
 * Without `allowed_payment_method_types`, API versions from 2023-08-16 on turn automatic payment methods on,
 * with redirects allowed: such an intent is only confirmed with a return_url.
 */
function automaticPaymentMethods(params: Params): AutomaticPaymentMethods | null {
  const given = params.automatic_payment_methods;
  if (given === undefined) {
    return params.allowed_payment_method_types === undefined
      ? { enabled: true, allow_redirects: 'always' }
      : null;
  }
  const hash = (typeof given === 'object' && given !== null ? given : {}) as Params;
  const enabled = optionalBoolean(hash, 'enabled');
  if (enabled === undefined) throw missingParam('automatic_payment_methods[enabled]');
  const redirects = optionalString(hash, 'allow_redirects') ?? 'always';
  if (redirects !== 'always' && redirects !== 'never') {
    throw invalidRequest(
      `Invalid automatic_payment_methods[allow_redirects]: must be one of always or never`,
      'parameter_invalid_string',
      'automatic_payment_methods[allow_redirects]',
    );
  }
  return enabled ? { enabled, allow_redirects: redirects } : null;
}

/** Only cards exist here: `allowed_payment_method_types` may name `card` and nothing else. */
function paymentMethodTypes(params: Params): string[] {
  const given = params.allowed_payment_method_types;
  if (given === undefined) return ['card'];
  if (!Array.isArray(given) || given.length === 0 || given.some((type) => type !== 'card')) {
    throw invalidRequest(
      'The sandbox only supports allowed_payment_method_types[]=card.',
      'parameter_invalid_string',
      'allowed_payment_method_types',
    );
  }
  return ['card'];
}

/** Fields of a PaymentIntent this sandbox never fills; Stripe sends them as null. */
const INTENT_NULLS = {
  application: null,
  application_fee_amount: null,
  invoice: null,
  on_behalf_of: null,
  payment_method_options: null,
  processing: null,
  review: null,
  setup_future_usage: null,
  shipping: null,
  statement_descriptor: null,
  statement_descriptor_suffix: null,
  transfer_data: null,
  transfer_group: null,
} as const;

/** POST /v1/payment_intents. Everything is validated before the intent exists, as in Stripe. */
export function createIntent(ctx: OperationContext, params: Params): PaymentIntent {
  const amount = requiredAmount(params, 'amount');
  const currency = requiredCurrency(params);
  requireMinimumCharge(amount, currency, ctx.settlementCurrency);
  const metadata = mergeMetadata({}, optionalMetadata(params) ?? {});
  const paymentMethod = optionalString(params, 'payment_method');
  if (paymentMethod !== undefined) requirePaymentMethod(paymentMethod);
  const confirm = optionalBoolean(params, 'confirm') ?? false;
  if (confirm && paymentMethod === undefined) {
    throw invalidRequest(
      'A payment_method is required to confirm on creation.',
      'parameter_missing',
      'payment_method',
    );
  }
  const automatic = automaticPaymentMethods(params);
  const returnUrl = optionalString(params, 'return_url');
  if (confirm && returnUrl === undefined) requireNoRedirects(automatic);
  const id = newId('pi');
  const intent: PaymentIntent = {
    ...INTENT_NULLS,
    id,
    object: 'payment_intent',
    amount,
    amount_capturable: 0,
    amount_received: 0,
    automatic_payment_methods: automatic,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: captureMethod(params),
    client_secret: `${id}_secret_${randomToken(25)}`,
    confirmation_method: optionalString(params, 'confirmation_method') === 'manual' ? 'manual' : 'automatic',
    created: nowSeconds(),
    currency,
    customer: optionalString(params, 'customer') ?? null,
    description: optionalString(params, 'description') ?? null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata,
    next_action: null,
    payment_method: paymentMethod ?? null,
    payment_method_types: paymentMethodTypes(params),
    receipt_email: optionalString(params, 'receipt_email') ?? null,
    status: paymentMethod === undefined ? 'requires_payment_method' : 'requires_confirmation',
  };
  ctx.state.paymentIntents.set(id, intent);
  if (returnUrl !== undefined) ctx.state.returnUrls.set(id, returnUrl);
  if (confirm) confirmIntent(ctx, intent);
  return intent;
}

/** POST /v1/payment_intents/:id — metadata, description, amount and payment_method before payment. */
export function updateIntent(ctx: OperationContext, intent: PaymentIntent, params: Params): PaymentIntent {
  const metadata = optionalMetadata(params);
  const amount = optionalAmount(params, 'amount');
  const paymentMethod = optionalString(params, 'payment_method');
  const description = optionalString(params, 'description');
  const paying = amount !== undefined || paymentMethod !== undefined;
  if (paying && (intent.status === 'succeeded' || intent.status === 'canceled')) {
    throw unexpectedState(
      `You cannot update this PaymentIntent because it has a status of ${intent.status}.`,
    );
  }
  if (paymentMethod !== undefined) requirePaymentMethod(paymentMethod);
  if (metadata) intent.metadata = mergeMetadata(intent.metadata, metadata);
  if (description !== undefined) intent.description = description;
  if (amount !== undefined) intent.amount = amount;
  if (paymentMethod !== undefined) {
    Object.assign(intent, {
      payment_method: paymentMethod,
      status: 'requires_confirmation',
      next_action: null,
    });
  }
  return intent;
}

export function cancelIntent(ctx: OperationContext, intent: PaymentIntent, params: Params): PaymentIntent {
  if (!CANCELABLE.includes(intent.status)) {
    throw unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. ` +
        `Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
    );
  }
  const reason = optionalString(params, 'cancellation_reason') ?? null;
  if (reason !== null && !CANCELLATION_REASONS.includes(reason)) {
    throw invalidRequest(
      `Invalid cancellation_reason: ${reason}`,
      'parameter_invalid_string',
      'cancellation_reason',
    );
  }
  Object.assign(intent, {
    status: 'canceled',
    canceled_at: nowSeconds(),
    cancellation_reason: reason,
    next_action: null,
  });
  ctx.emit('payment_intent.canceled', snapshot(intent), intent.id);
  return intent;
}
