import { newId, nowSeconds } from './ids.ts';
import type { Charge, PaymentIntent } from './state.ts';
import type { OperationContext } from './context.ts';

/** Records the charge a confirmation produced; failed attempts get a charge too, as in Stripe. */
export function recordCharge(
  ctx: OperationContext,
  intent: PaymentIntent,
  paymentMethod: string,
  failure?: { code: string; message: string },
): Charge {
  const succeeded = failure === undefined;
  const charge: Charge = {
    id: newId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_captured: succeeded ? intent.amount : 0,
    amount_refunded: 0,
    captured: succeeded,
    created: nowSeconds(),
    currency: intent.currency,
    description: intent.description,
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
