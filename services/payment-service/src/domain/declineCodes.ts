import { CARD_DECLINE_CODES } from '@shop/shared/contracts';
import type { PaymentError } from '../data/paymentStore.ts';

/**
 * Decline codes an honest customer can act on (Stripe's decline-code table: fix the card details,
 * top up, try later, use another card). Every other code is answered as a plain decline, above all
 * the fraud signals Stripe says never to report to the customer (`fraudulent`, `lost_card`,
 * `stolen_card`, `pickup_card`, `restricted_card`, `merchant_blacklist`, `security_violation`, ...):
 * told apart, they tell a card tester which stolen cards are live. An allow-list, so a code Stripe
 * adds later is masked until someone decides otherwise.
 */
const SHOWN_DECLINE_CODES: ReadonlySet<string> = new Set([
  'insufficient_funds',
  'expired_card',
  'incorrect_cvc',
  'invalid_cvc',
  'incorrect_number',
  'invalid_number',
  'incorrect_zip',
  'invalid_expiry_month',
  'invalid_expiry_year',
  'card_velocity_exceeded',
  'withdrawal_count_limit_exceeded',
  'processing_error',
  'try_again_later',
  'authentication_required',
  'approve_with_id',
  'card_not_supported',
  'currency_not_supported',
]);

const CODES: ReadonlySet<string> = new Set(CARD_DECLINE_CODES);
const GENERIC = 'Your card was declined.';

/**
 * What the customer is told about a failed payment: the error as Stripe gave it when its decline
 * code helps them, otherwise a generic `card_declined` with no decline code. Errors that are not
 * card declines (no decline code, e.g. a failed 3-D Secure) pass unchanged. Logs and metrics keep
 * Stripe's full codes. An error with a code keeps one.
 */
export function customerView(error: PaymentError & { code: string }): PaymentError & { code: string };
export function customerView(error: PaymentError): PaymentError;
export function customerView(error: PaymentError): PaymentError {
  if (error.decline_code === null) return error;
  if (!SHOWN_DECLINE_CODES.has(error.decline_code)) {
    return { code: 'card_declined', decline_code: null, message: GENERIC };
  }
  return { ...error, code: error.code !== null && CODES.has(error.code) ? error.code : 'card_declined' };
}
