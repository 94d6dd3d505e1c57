import { notFound, type Principal, isSelfOrService } from '@shop/shared';
import type { Payment } from '@shop/shared/contracts';
import type { PaymentRecord, PaymentStore } from '../data/paymentStore.ts';

/** The contract's view of a payment: no attempt bookkeeping, no secret once it is useless. */
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
    last_error: record.last_error,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}

/** A payment the caller may see: its owner or a service. Others get the same 404 as for a missing one. */
export function visiblePayment(store: PaymentStore, caller: Principal, paymentId: string): PaymentRecord {
  const payment = store.getPayment(paymentId);
  if (!payment || !isSelfOrService(caller, payment.user_id)) {
    throw notFound('No such payment.', 'payment_not_found');
  }
  return payment;
}

export function visiblePaymentOfOrder(
  store: PaymentStore,
  caller: Principal,
  orderId: string,
): PaymentRecord {
  const payment = store.getPaymentByOrder(orderId);
  if (!payment || !isSelfOrService(caller, payment.user_id)) {
    throw notFound('This order has no payment.', 'payment_not_found');
  }
  return payment;
}
