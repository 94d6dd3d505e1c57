import { nowSeconds } from './ids.ts';

/**
 * What confirming with a test payment method does, as in Stripe's test mode. Only `card_declined`
 * carries a decline_code; expired_card, incorrect_cvc and processing_error come without one.
 */
export type CardOutcome =
  | { kind: 'succeed' }
  | { kind: 'decline'; code: string; declineCode?: string; message: string; param?: string }
  | { kind: 'authenticate' };

export interface TestPaymentMethod {
  id: string;
  brand: string;
  last4: string;
  outcome: CardOutcome;
}

const DECLINED = 'Your card was declined.';

function card(id: string, brand: string, last4: string, outcome: CardOutcome): TestPaymentMethod {
  return { id, brand, last4, outcome };
}

/** Stripe's documented test PaymentMethod ids; the last4 values are those of the matching test cards. */
export const TEST_PAYMENT_METHODS: readonly TestPaymentMethod[] = [
  card('pm_card_visa', 'visa', '4242', { kind: 'succeed' }),
  card('pm_card_visa_debit', 'visa', '5556', { kind: 'succeed' }),
  card('pm_card_mastercard', 'mastercard', '4444', { kind: 'succeed' }),
  card('pm_card_amex', 'amex', '8431', { kind: 'succeed' }),
  card('pm_card_chargeDeclined', 'visa', '0002', {
    kind: 'decline',
    code: 'card_declined',
    declineCode: 'generic_decline',
    message: DECLINED,
  }),
  card('pm_card_chargeDeclinedInsufficientFunds', 'visa', '9995', {
    kind: 'decline',
    code: 'card_declined',
    declineCode: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  }),
  card('pm_card_chargeDeclinedLostCard', 'visa', '9987', {
    kind: 'decline',
    code: 'card_declined',
    declineCode: 'lost_card',
    message: DECLINED,
  }),
  card('pm_card_chargeDeclinedExpiredCard', 'visa', '0069', {
    kind: 'decline',
    code: 'expired_card',
    message: 'Your card has expired.',
    param: 'exp_month',
  }),
  card('pm_card_chargeDeclinedIncorrectCvc', 'visa', '0127', {
    kind: 'decline',
    code: 'incorrect_cvc',
    message: "Your card's security code is incorrect.",
    param: 'cvc',
  }),
  card('pm_card_chargeDeclinedProcessingError', 'visa', '0119', {
    kind: 'decline',
    code: 'processing_error',
    message: 'An error occurred while processing your card. Try again in a little bit.',
  }),
  card('pm_card_authenticationRequired', 'visa', '3184', { kind: 'authenticate' }),
  card('pm_card_threeDSecure2Required', 'visa', '3220', { kind: 'authenticate' }),
];

export function findTestPaymentMethod(id: string): TestPaymentMethod | undefined {
  return TEST_PAYMENT_METHODS.find((method) => method.id === id);
}

/** A PaymentMethod object shaped like Stripe's, for GET /v1/payment_methods/:id and error bodies. */
export function paymentMethodObject(method: TestPaymentMethod): Record<string, unknown> {
  return {
    id: method.id,
    object: 'payment_method',
    billing_details: { address: null, email: null, name: null, phone: null },
    card: {
      brand: method.brand,
      country: 'US',
      exp_month: 12,
      exp_year: new Date().getUTCFullYear() + 3,
      funding: method.id.endsWith('_debit') ? 'debit' : 'credit',
      last4: method.last4,
    },
    created: nowSeconds(),
    customer: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
}
