import type Stripe from 'stripe';
import type { PaymentRecord } from '../data/paymentStore.ts';

/**
 * What a webhook is checked against before it may move money state: Stripe's own PaymentIntent,
 * fetched by id, must be the payment's in every field that matters (a refund's state is then read
 * from that intent's refund list).
 * Returns the first field that differs, or undefined when Stripe's record is the payment's.
 */
export function intentMismatch(payment: PaymentRecord, intent: Stripe.PaymentIntent): string | undefined {
  if (payment.payment_intent_id !== null && intent.id !== payment.payment_intent_id)
    return 'payment_intent_id';
  if (intent.amount !== payment.amount) return 'amount';
  if (intent.currency.toLowerCase() !== payment.currency.toLowerCase()) return 'currency';
  if (intent.metadata?.order_id !== payment.order_id) return 'order_id';
  if (intent.metadata?.payment_id !== payment.id) return 'payment_id';
  return undefined;
}
