import Stripe from 'stripe';
import { DependencyError, badRequest, storageFault, type AppError, type StorageFault } from '@shop/shared';
import type { PaymentEvents } from './paymentEvents.ts';

const { StripeAPIError, StripeCardError, StripeError, StripeInvalidRequestError } = Stripe.errors;

export function isCardError(error: unknown): error is Stripe.errors.StripeCardError {
  return error instanceof StripeCardError;
}

/** The decline code, or null: the SDK turns a missing one into "" (Stripe sends one with card_declined only). */
export function declineCodeOf(error: Stripe.errors.StripeCardError): string | null {
  return error.decline_code || null;
}

/**
 * Stripe answered a 500 (after the SDK's own retries with the same key). Stripe saves such an answer
 * under the idempotency key and replays it for 24 hours: the key is spent.
 */
export function isSaved5xx(error: unknown): boolean {
  return error instanceof StripeAPIError && (error.statusCode ?? 0) >= 500;
}

/** Stripe refused the request as such (400): repeating it unchanged would be refused again. */
export function isRefusal(error: unknown): error is Stripe.errors.StripeInvalidRequestError {
  return error instanceof StripeInvalidRequestError && error.statusCode === 400;
}

export function stripeCode(error: unknown): string | undefined {
  return error instanceof StripeError ? error.code : undefined;
}

/** Stripe refused the confirmation because the intent is no longer confirmable (e.g. already paid). */
export function isUnexpectedState(error: unknown): boolean {
  return stripeCode(error) === 'payment_intent_unexpected_state';
}

/** The PaymentMethod id the client gave does not exist at Stripe: the client's mistake. */
export function badPaymentMethod(error: unknown): AppError | undefined {
  if (!(error instanceof StripeInvalidRequestError) || error.param !== 'payment_method') return undefined;
  return badRequest('Stripe does not know this payment method.', 'invalid_payment_method', {
    errors: [{ in: 'body', field: 'payment_method', message: error.message }],
  });
}

/**
 * Anything else Stripe-related: no answer, a timeout, a 5xx after the SDK's retries, or a refusal that
 * points at our configuration. The outcome may be unknown, so the caller keeps what it recorded
 * before the call; a repeat of the request reuses the same idempotency key and cannot charge twice.
 * Stripe answered but its answer could not be saved (a full disk...): that is a storage fault, a 503.
 */
export function providerFailure(
  events: PaymentEvents,
  error: unknown,
  action: string,
): DependencyError | StorageFault {
  const stored = storageFault(error);
  if (stored) return stored;
  const status = error instanceof StripeError ? error.statusCode : undefined;
  const details = {
    err: error instanceof Error ? { type: error.name, message: error.message } : String(error),
    stripe_status: status,
    stripe_code: stripeCode(error),
  };
  // A 4xx other than "busy" (409) or "slow down" (429) will not pass by retrying: a person must look.
  if (status !== undefined && status >= 400 && status < 500 && status !== 409 && status !== 429) {
    events.log.error(details, `Stripe refused to ${action}: check the configuration`);
  } else {
    events.log.warn(details, `Stripe did not ${action}`);
  }
  return new DependencyError(
    'payment_provider_unavailable',
    'The payment provider did not answer in time. Try again: a repeated request never charges twice.',
    'failed',
  );
}
