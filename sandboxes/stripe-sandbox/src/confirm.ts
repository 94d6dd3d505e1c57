import { StripeApiError, invalidRequest, noSuchResource, unexpectedState } from './errors.ts';
import { recordCharge } from './charges.ts';
import { snapshot, type OperationContext } from './context.ts';
import { findTestPaymentMethod, paymentMethodObject, type TestPaymentMethod } from './payment-methods.ts';
import type { AutomaticPaymentMethods, NextAction, PaymentIntent } from './state.ts';

const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

/** Looks up a test PaymentMethod; Stripe answers 400 resource_missing for an unknown one. */
export function requirePaymentMethod(id: string): TestPaymentMethod {
  const method = findTestPaymentMethod(id);
  if (!method) throw noSuchResource('PaymentMethod', id, 'payment_method', 400);
  return method;
}

/**
 * Stripe refuses to confirm an intent whose automatic payment methods allow redirects without a
 * return_url, even when the method at hand would not redirect.
 */
export function requireNoRedirects(automatic: AutomaticPaymentMethods | null): void {
  if (!automatic?.enabled || automatic.allow_redirects === 'never') return;
  throw invalidRequest(
    'A `return_url` must be specified because this Payment Intent is configured to automatically accept the ' +
      'payment methods enabled in the Dashboard, some of which may require a full page redirect to succeed. ' +
      'If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` ' +
      'to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and ' +
      'Payment Intents.',
  );
}

/**
 * 3D Secure: with a return_url, a redirect to the authentication page; without one (a server-side
 * confirmation), `use_stripe_sdk`, whose contents only Stripe.js reads (handleNextAction).
 */
function authenticationAction(ctx: OperationContext, intent: PaymentIntent): NextAction {
  const page = `${ctx.baseUrl}/confirm/${intent.id}`;
  const returnUrl = ctx.state.returnUrls.get(intent.id);
  if (returnUrl !== undefined) {
    return { type: 'redirect_to_url', redirect_to_url: { url: page, return_url: returnUrl } };
  }
  return { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: page } };
}

function emitIntent(ctx: OperationContext, type: string, intent: PaymentIntent): void {
  ctx.emit(type, snapshot(intent), intent.id);
}

function succeed(ctx: OperationContext, intent: PaymentIntent, paymentMethod: string): void {
  const charge = recordCharge(ctx, intent, paymentMethod);
  Object.assign(intent, {
    status: 'succeeded',
    payment_method: paymentMethod,
    amount_received: intent.amount,
    latest_charge: charge.id,
    last_payment_error: null,
    next_action: null,
  });
  emitIntent(ctx, 'payment_intent.succeeded', intent);
}

/**
 * A failed attempt sends the intent back to requires_payment_method (so it can be paid again with
 * another method) and answers 402 with the intent embedded, like Stripe's card errors.
 */
function fail(
  ctx: OperationContext,
  intent: PaymentIntent,
  method: TestPaymentMethod,
  error: {
    type: 'card_error' | 'invalid_request_error';
    code: string;
    message: string;
    declineCode?: string;
    param?: string;
  },
  status: number,
): StripeApiError {
  const charge = error.type === 'card_error' ? recordCharge(ctx, intent, method.id, error) : undefined;
  const lastError = {
    type: error.type,
    code: error.code,
    ...(error.declineCode ? { decline_code: error.declineCode } : {}),
    message: error.message,
    ...(error.param ? { param: error.param } : {}),
    ...(charge ? { charge: charge.id } : {}),
    doc_url: `https://stripe.com/docs/error-codes/${error.code.replaceAll('_', '-')}`,
    payment_method: paymentMethodObject(method),
  };
  Object.assign(intent, {
    status: 'requires_payment_method',
    payment_method: null,
    last_payment_error: lastError,
    next_action: null,
    ...(charge ? { latest_charge: charge.id } : {}),
  });
  emitIntent(ctx, 'payment_intent.payment_failed', intent);
  return new StripeApiError(status, { ...lastError, payment_intent: snapshot(intent) }, true);
}

/** Runs a confirmation with the given test method: charge, decline, or ask for authentication. */
function attempt(ctx: OperationContext, intent: PaymentIntent, method: TestPaymentMethod): void {
  const outcome = method.outcome;
  if (outcome.kind === 'succeed') return succeed(ctx, intent, method.id);
  if (outcome.kind === 'decline') {
    throw fail(ctx, intent, method, { type: 'card_error', ...outcome }, 402);
  }
  Object.assign(intent, {
    status: 'requires_action',
    payment_method: method.id,
    next_action: authenticationAction(ctx, intent),
  });
  emitIntent(ctx, 'payment_intent.requires_action', intent);
}

export function confirmIntent(ctx: OperationContext, intent: PaymentIntent, paymentMethodId?: string): void {
  if (!CONFIRMABLE.includes(intent.status)) {
    throw unexpectedState(
      `You cannot confirm this PaymentIntent because it has a status of ${intent.status}. ` +
        `Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(', ')}.`,
    );
  }
  const chosen = paymentMethodId ?? intent.payment_method ?? undefined;
  if (chosen === undefined) {
    throw unexpectedState(
      "You cannot confirm this PaymentIntent because it's missing a payment method. " +
        'To confirm the PaymentIntent with a payment method, provide payment_method.',
    );
  }
  // Re-confirming an intent that awaits authentication without a new method changes nothing.
  if (intent.status === 'requires_action' && paymentMethodId === undefined) return;
  attempt(ctx, intent, requirePaymentMethod(chosen));
}

/** The customer's answer on the authentication page (what 3D Secure does in Stripe). */
export function completeAuthentication(ctx: OperationContext, intent: PaymentIntent, approve: boolean): void {
  if (intent.status !== 'requires_action' || !intent.payment_method) {
    throw unexpectedState(
      `This PaymentIntent has a status of ${intent.status}; there is nothing to authenticate.`,
    );
  }
  const method = requirePaymentMethod(intent.payment_method);
  if (approve) return succeed(ctx, intent, method.id);
  const message =
    'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new ' +
    'PaymentMethod to attempt to fulfill this PaymentIntent again.';
  fail(
    ctx,
    intent,
    method,
    { type: 'invalid_request_error', code: 'payment_intent_authentication_failure', message },
    400,
  );
}
