import { isSelfOrService, notFound, type Principal } from '@shop/shared';
import type { PaymentRecord, PaymentStore } from '../data/paymentStore.ts';

/** A payment the caller may see: its owner's. Others get the same 404 as for a missing one. */
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
