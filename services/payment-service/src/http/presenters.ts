import type { Payment } from '@shop/shared/contracts';
import type { PaymentRecord } from '../data/paymentStore.ts';
import { customerView } from '../domain/declineCodes.ts';

/**
 * The contract's view of a payment: no attempt bookkeeping, no secret once it is useless, and the
 * last decline as the customer may see it (fraud signals masked).
 */
export function toPayment(record: PaymentRecord): Payment {
  return {
    id: record.id,
    order_id: record.order_id,
    user_id: record.user_id,
    amount: record.amount,
    currency: record.currency,
    status: record.status,
    payment_intent_id: record.payment_intent_id,
    client_secret: record.client_secret,
    last_error: record.last_error && customerView(record.last_error),
    refund: record.refund,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}
