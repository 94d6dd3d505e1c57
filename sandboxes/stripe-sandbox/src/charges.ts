import { newId, nowSeconds } from './ids.ts';
import type { Charge, PaymentIntent } from './state.ts';
import type { OperationContext } from './context.ts';

const CHARGE_NULLS = {
  application: null,
  application_fee: null,
  application_fee_amount: null,
  balance_transaction: null,
  customer: null,
  failure_balance_transaction: null,
  fraud_details: null,
  invoice: null,
  on_behalf_of: null,
  outcome: null,
  payment_method_details: null,
  receipt_email: null,
  receipt_number: null,
  receipt_url: null,
  review: null,
  shipping: null,
  source_transfer: null,
  statement_descriptor: null,
  statement_descriptor_suffix: null,
  transfer_data: null,
  transfer_group: null,
} as const;

/** Records the charge a confirmation produced; failed attempts get a charge too, as in Stripe. */
export function recordCharge(
  ctx: OperationContext,
  intent: PaymentIntent,
  paymentMethod: string,
  failure?: { code: string; message: string },
): Charge {
  const succeeded = failure === undefined;
  const charge: Charge = {
    ...CHARGE_NULLS,
    id: newId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_captured: succeeded ? intent.amount : 0,
    amount_refunded: 0,
    billing_details: { address: null, email: null, name: null, phone: null },
    calculated_statement_descriptor: succeeded ? 'SHOP SANDBOX' : null,
    captured: succeeded,
    created: nowSeconds(),
    currency: intent.currency,
    description: intent.description,
    disputed: false,
    failure_code: failure?.code ?? null,
    failure_message: failure?.message ?? null,
    livemode: false,
    metadata: { ...intent.metadata },
    paid: succeeded,
    payment_intent: intent.id,
    payment_method: paymentMethod,
    refunded: false,
    status: succeeded ? 'succeeded' : 'failed',
  };
  ctx.state.charges.set(charge.id, charge);
  return charge;
}
